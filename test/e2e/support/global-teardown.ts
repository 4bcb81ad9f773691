/** Stops every process the suite started: no broker, server or service outlives the tests. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.fanoutStack?.stop();
}

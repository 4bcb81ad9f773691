import { startStack, type Stack } from '@fanout/local-stack';

declare global {
  var fanoutStack: Stack | undefined;
}

/** Starts the native stack once for all end-to-end specs, from an empty state directory, on the default ports. */
export default async function globalSetup(): Promise<void> {
  // Specs measure deltas, so they can also run against a stack you started yourself (`npm start`).
  if (process.env.FANOUT_E2E_RUNNING_STACK === 'true') return;
  process.env.FANOUT_STATE_DIR ??= `${process.cwd()}/.fanout/test`;
  const started = Date.now();
  console.log('\nstarting the native stack for the end-to-end suite…');
  globalThis.fanoutStack = await startStack({ fresh: true }, (line) => console.log(`  ${line}`));
  console.log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${globalThis.fanoutStack.logDir}`);
}

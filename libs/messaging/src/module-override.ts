import Module from 'node:module';

/**
 * Makes `exports` what the first `require(id)` of a kafkajs internal returns, without loading the file.
 * Loading it and then swapping its exports in require.cache would not do: OpenTelemetry's require hook
 * (require-in-the-middle) keeps every module's first exports and hands those out. Returns false when the
 * module was loaded already; kafkajs's own code then stays in use (same results, slower).
 */
export function provideModule(id: string, exports: unknown): boolean {
  const filename = require.resolve(id);
  if (require.cache[filename]) return false;
  const provided = new Module(filename, module);
  provided.filename = filename;
  provided.loaded = true;
  provided.exports = exports;
  require.cache[filename] = provided;
  return true;
}

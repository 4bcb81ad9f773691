import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * libs/messaging replaces kafkajs's record encoder and decoder (same bytes, a third of the cost). A service
 * loads them the way this child process does: built code, OpenTelemetry's require hook first. Under Jest
 * (its own module registry) the swap cannot be seen, so this asks a real Node process.
 */
const CHILD = `
require('@fanout/tracing/register');
require('@fanout/messaging');
const Module = require('node:module');
const seen = {};
const original = Module.prototype.require;
Module.prototype.require = function (id) {
  const exports = original.apply(this, arguments);
  if (/record\\/v0(\\/decoder)?$/.test(id)) seen[id.endsWith('decoder') ? 'decoder' : 'encoder'] = exports.name;
  return exports;
};
require('kafkajs/src/protocol/requests/produce/v3/request');
require('kafkajs/src/protocol/requests/fetch/v11/response');
console.log(JSON.stringify(seen));
`;

describe("kafkajs's record encoder and decoder in a service process", () => {
  it.each(['false', 'true'])('are libs/messaging’s, with OTEL_SDK_DISABLED=%s', (disabled) => {
    const output = execFileSync(process.execPath, ['-e', CHILD], {
      cwd: resolve(__dirname, '..', '..'),
      env: { ...process.env, OTEL_SDK_DISABLED: disabled, OTEL_TRACES_EXPORTER: 'none' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual({ encoder: 'encodeRecord', decoder: 'decodeRecord' });
  });
});

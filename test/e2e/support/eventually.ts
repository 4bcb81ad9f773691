import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Re-runs `probe` until `done(value)` holds, then returns the value; after `timeoutMs` fails with
 * `what` and the last value seen, so a failure says how far the system got.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const seen = last === undefined ? `error: ${String(lastError)}` : JSON.stringify(last).slice(0, 500);
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s; last seen: ${seen}`);
}

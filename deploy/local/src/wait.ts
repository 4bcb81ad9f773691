import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it resolves truthy; fails after `timeoutMs` with a message naming what
 * did not become ready and where to look.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  { timeoutMs, logPath, intervalMs = 250 }: { timeoutMs: number; logPath?: string; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const seconds = Math.round(timeoutMs / 1000);
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`${what} did not become ready in ${seconds} s${cause}${logPath ? `; see ${logPath}` : ''}`);
}

/** True if an HTTP GET answers 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return response.ok;
}

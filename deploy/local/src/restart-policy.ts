import type { Supervised, Supervisor } from './supervisor';

export interface RestartPolicy {
  /** Restarts allowed per process before the stack gives up on it. */
  maxRestarts: number;
  /** First delay; doubled after each restart, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, initialDelayMs: 1_000, maxDelayMs: 30_000 };

/**
 * Brings back any process of the stack that exits while the stack is up, like compose's
 * `restart: unless-stopped`: with exponential backoff, at most `maxRestarts` times per process.
 * `isStopping()` turns it off for a deliberate shutdown. Test stacks don't use it: their drills decide
 * when a killed process comes back.
 */
export function restartOnExit(
  supervisor: Supervisor,
  isStopping: () => boolean,
  say: (line: string) => void,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): void {
  const watch = (process: Supervised, restarts: number): void => {
    void process.exited.then(async (code) => {
      if (isStopping()) return;
      const how = process.child.signalCode ? `by ${process.child.signalCode}` : `with code ${code}`;
      if (restarts >= policy.maxRestarts) {
        say(`! ${process.name} exited ${how} and was restarted ${restarts} times already: giving up; see ${process.logPath}`);
        return;
      }
      const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** restarts);
      say(
        `! ${process.name} exited ${how}; restarting in ${delayMs / 1000} s (${restarts + 1}/${policy.maxRestarts}); see ${process.logPath}`,
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (isStopping()) return;
      watch(supervisor.restart(process), restarts + 1);
    });
  };
  for (const process of supervisor.running) watch(process, 0);
}

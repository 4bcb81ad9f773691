import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restartOnExit } from './restart-policy';
import { Supervisor } from './supervisor';

/** Real short-lived processes under a real Supervisor; only the delays are shortened. */
describe('restartOnExit', () => {
  let dir: string;
  let supervisor: Supervisor;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'restart-policy-'));
    supervisor = new Supervisor(dir);
  });
  afterEach(async () => {
    await supervisor.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('restarts a process that keeps exiting, with growing delays, and gives up after the limit', async () => {
    supervisor.start({ name: 'flaky', command: 'sh', args: ['-c', 'exit 3'] });
    const said: string[] = [];
    restartOnExit(
      supervisor,
      () => false,
      (line) => said.push(line),
      { maxRestarts: 2, initialDelayMs: 20, maxDelayMs: 1_000 },
    );
    await until('giving up', () => said.some((l) => l.includes('giving up')));
    expect(said).toEqual([
      expect.stringMatching(/^! flaky exited with code 3; restarting in 0.02 s \(1\/2\)/),
      expect.stringMatching(/^! flaky exited with code 3; restarting in 0.04 s \(2\/2\)/),
      expect.stringMatching(/^! flaky exited with code 3 and was restarted 2 times already: giving up/),
    ]);
  });

  it('leaves a process down when the stack is stopping', async () => {
    const sleeper = supervisor.start({ name: 'sleeper', command: 'sleep', args: ['30'] });
    let stopping = false;
    const said: string[] = [];
    restartOnExit(
      supervisor,
      () => stopping,
      (line) => said.push(line),
      { maxRestarts: 5, initialDelayMs: 1, maxDelayMs: 1 },
    );
    stopping = true;
    supervisor.signal(sleeper, 'SIGKILL');
    await sleeper.exited;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(said).toEqual([]);
    expect(supervisor.running.map((p) => p.pid)).toEqual([sleeper.pid]);
  });

  it('names the signal that killed a process', async () => {
    const sleeper = supervisor.start({ name: 'victim', command: 'sleep', args: ['30'] });
    const said: string[] = [];
    restartOnExit(
      supervisor,
      () => false,
      (line) => said.push(line),
      { maxRestarts: 1, initialDelayMs: 1, maxDelayMs: 1 },
    );
    supervisor.signal(sleeper, 'SIGKILL');
    await until('a restart', () => supervisor.running.some((p) => p.name === 'victim' && p.pid !== sleeper.pid));
    expect(said[0]).toMatch(/^! victim exited by SIGKILL; restarting/);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: string;
  /** The signal that asks for a clean, prompt shutdown (PostgreSQL: SIGINT, its "fast" mode). */
  stopSignal?: NodeJS.Signals;
  /** Higher tiers stop first, each tier all at once: services (1) leave their groups while Kafka (0) still runs. */
  tier?: number;
}

export interface Supervised {
  name: string;
  spec: ProcessSpec;
  stopSignal: NodeJS.Signals;
  tier: number;
  pid: number;
  logPath: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Starts processes each in its own process group, output to <logDir>/<name>.log, and stops them all
 * (SIGTERM, then SIGKILL after a grace period). Pids are recorded so a run killed with -9 is cleaned
 * up by the next one.
 */
export class Supervisor {
  private readonly processes: Supervised[] = [];
  private readonly pidFile: string;

  constructor(private readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
    this.pidFile = join(logDir, 'pids');
  }

  /** Kills process groups a previous run recorded and did not stop. */
  reapLeftovers(): void {
    if (!existsSync(this.pidFile)) return;
    for (const pid of readFileSync(this.pidFile, 'utf8').split('\n').map(Number).filter(Boolean)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    writeFileSync(this.pidFile, '');
  }

  start(spec: ProcessSpec): Supervised {
    const logPath = join(this.logDir, `${spec.name}.log`);
    const log = openSync(logPath, 'a');
    const [command, args] =
      spec.user && process.getuid?.() === 0 ? ['runuser', ['-u', spec.user, '--', spec.command, ...spec.args]] : [spec.command, spec.args];
    const child = spawn(command, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', log, log],
      detached: true, // own process group: a stop reaches every child it forks
    });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const supervised = {
      name: spec.name,
      spec,
      stopSignal: spec.stopSignal ?? 'SIGTERM',
      tier: spec.tier ?? 0,
      pid: child.pid,
      logPath,
      child,
      exited,
    };
    this.processes.push(supervised);
    writeFileSync(this.pidFile, this.processes.map((p) => p.pid).join('\n'));
    return supervised;
  }

  /** Starts a stopped or killed process again from its spec (environment changes on top), in place of the old entry. */
  restart(target: Supervised, env: Record<string, string> = {}): Supervised {
    const index = this.processes.indexOf(target);
    if (index >= 0) this.processes.splice(index, 1);
    return this.start({ ...target.spec, env: { ...target.spec.env, ...env } });
  }

  /** Sends a signal to a process's group, e.g. SIGKILL for a crash drill. */
  signal(target: Supervised, signal: NodeJS.Signals): void {
    signalGroup(target.pid, signal);
  }

  /** Stops one process: SIGTERM to its group, SIGKILL if it has not exited within graceMs. */
  async stop(target: Supervised, graceMs = 10_000): Promise<void> {
    if (target.child.exitCode !== null || target.child.signalCode !== null) return;
    signalGroup(target.pid, target.stopSignal);
    // An unref'd grace timer: once the process exits, nothing of the stop keeps the caller's event loop alive.
    const exited = await Promise.race([target.exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
    if (!exited) {
      signalGroup(target.pid, 'SIGKILL');
      await target.exited;
    }
  }

  /** Stops everything, tier by tier: the services before the infrastructure they use. */
  async stopAll(): Promise<void> {
    const tiers = [...new Set(this.processes.map((p) => p.tier))].sort((a, b) => b - a);
    for (const tier of tiers) await Promise.all(this.processes.filter((p) => p.tier === tier).map((p) => this.stop(p)));
    this.processes.length = 0;
    writeFileSync(this.pidFile, '');
  }

  get running(): readonly Supervised[] {
    return this.processes;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

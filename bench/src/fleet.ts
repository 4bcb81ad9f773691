import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpOk, waitFor, type ServiceInstance, type Stack, type Supervised } from '@fanout/local-stack';
import { summarizeProfile, type CpuProfile, type ProfileShare } from './cpu-profile';

const PROFILER = join(__dirname, 'profile-preload.js');

/** A process the benchmark watches: a service instance of the stack, or a naive-baseline app. */
interface Watched {
  name: string;
  process: Supervised;
}

/**
 * The stack's service instances as the benchmark stops and restarts them (with tracing on or off),
 * remembering each one's peak resident memory across restarts.
 */
export class Fleet {
  private readonly peakRssBytes = new Map<string, number>();
  /** Resident pages mapped from files (mostly the node binary): shared by every process, counted in each one's RSS. */
  private readonly fileBackedBytes = new Map<string, number>();
  private readonly extras: Watched[] = [];

  constructor(private readonly stack: Stack) {}

  get consumers(): ServiceInstance[] {
    return this.stack.services.filter((s) => s.service !== 'order-service');
  }

  get orderService(): ServiceInstance {
    return this.stack.services.find((s) => s.service === 'order-service')!;
  }

  /** Starts a process that is not part of the stack (the naive baseline), supervised like the rest. */
  async startExtra(name: string, script: string, env: Record<string, string>, ready?: () => Promise<boolean>): Promise<Watched> {
    const watched = {
      name,
      process: this.stack.supervisor.start({ name, command: process.execPath, args: [script], env, tier: 1 }),
    };
    this.extras.push(watched);
    if (ready) await waitFor(name, ready, { timeoutMs: 60_000, logPath: watched.process.logPath });
    return watched;
  }

  async stopExtra(watched: Watched): Promise<void> {
    this.sample();
    await this.stack.supervisor.stop(watched.process);
  }

  async stop(instances: ServiceInstance[]): Promise<void> {
    this.sample();
    await Promise.all(instances.map((i) => this.stack.supervisor.stop(i.process)));
  }

  /** Starts stopped instances again (with `env` on top of their own) and waits until each answers /health. */
  async start(instances: ServiceInstance[], { tracing, env }: { tracing: boolean; env?: (instance: ServiceInstance) => Record<string, string> }): Promise<void> {
    for (const instance of instances) {
      instance.process = this.stack.supervisor.restart(instance.process, { OTEL_SDK_DISABLED: String(!tracing), ...env?.(instance) });
    }
    await Promise.all(
      instances.map((i) => waitFor(`${i.instanceId} /health`, () => httpOk(`${i.url}/health`), { timeoutMs: 60_000, logPath: i.process.logPath })),
    );
  }

  async restart(instances: ServiceInstance[], options: Parameters<Fleet['start']>[1]): Promise<void> {
    await this.stop(instances);
    await this.start(instances, options);
  }

  /**
   * Restarts `instances` (tracing on) under V8's sampling profiler, runs `work`, and returns where each
   * instance's CPU went: self time per component. The raw .cpuprofile files stay in `dir` for DevTools.
   */
  async profiled(instances: ServiceInstance[], dir: string, work: () => Promise<unknown>): Promise<Map<string, ProfileShare[]>> {
    mkdirSync(dir, { recursive: true });
    const fileOf = (i: ServiceInstance) => join(dir, `${i.instanceId}.cpuprofile`);
    await this.restart(instances, {
      tracing: true,
      env: (i) => ({
        NODE_OPTIONS: `${(i.process.spec.env?.NODE_OPTIONS ?? '').replace(/ --require \S+/g, '')} --require ${PROFILER}`,
        FANOUT_CPU_PROFILE: fileOf(i),
      }),
    });
    const toggleProfilers = () => instances.forEach((i) => this.stack.supervisor.signal(i.process, 'SIGUSR2'));
    toggleProfilers(); // start sampling, now that start-up is over
    await work();
    toggleProfilers(); // stop and write
    await waitFor('every profile written', async () => instances.every((i) => existsSync(fileOf(i))), { timeoutMs: 60_000 });
    return new Map(instances.map((i) => [i.instanceId, summarizeProfile(JSON.parse(readFileSync(fileOf(i), 'utf8')) as CpuProfile)]));
  }

  /** Reads the kernel's high-water mark of resident memory (VmHWM) of every running process. */
  sample(): void {
    const all: Watched[] = [...this.stack.services.map((s) => ({ name: s.instanceId, process: s.process })), ...this.extras];
    for (const { name, process } of all) {
      const memory = memoryOf(process.pid);
      if (!memory) continue; // the process is gone
      this.peakRssBytes.set(name, Math.max(memory.peakRss, this.peakRssBytes.get(name) ?? 0));
      this.fileBackedBytes.set(name, Math.max(memory.fileBacked, this.fileBackedBytes.get(name) ?? 0));
    }
  }

  /** Peak RSS per process name, in bytes, over every lifetime of that process during the run, and its file-backed part. */
  peaks(): Map<string, { rss: number; fileBacked: number }> {
    this.sample();
    return new Map([...this.peakRssBytes].map(([name, rss]) => [name, { rss, fileBacked: this.fileBackedBytes.get(name) ?? 0 }]));
  }
}

/** From /proc/<pid>/status, in bytes: VmHWM (peak resident memory) and RssFile (its file-backed part). */
function memoryOf(pid: number): { peakRss: number; fileBacked: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const bytes = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { peakRss: bytes('VmHWM'), fileBacked: bytes('RssFile') };
}

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpOk, waitFor, type ServiceInstance, type Stack, type Supervised } from '@fanout/local-stack';
import { procMemory, type MemoryBreakdown } from './memory';
import { summarizeAllocations, summarizeProfile, type CpuProfile, type HeapProfileNode, type ProfileShare } from './profiles';
import { PRODUCTION_SAMPLING, tracingEnv, type TracingMode } from './tracing-mode';

const PRELOAD = join(__dirname, 'profile-preload.js');

/** Where one process's time and allocations went during a profiled phase. */
export interface ProcessProfile {
  cpu: ProfileShare[];
  allocation: { bytes: number; shares: ProfileShare[] };
}

/** A process's peak memory over the run: the kernel's high-water mark, and what RSS was made of at the highest sample. */
export interface MemoryPeak {
  peakRssMb: number;
  atPeak?: MemoryBreakdown;
}

/** A process the benchmark watches: a service instance of the stack, or a naive-baseline app. */
interface Watched {
  name: string;
  process: Supervised;
}

/**
 * The stack's service instances as the benchmark stops and restarts them (with tracing on or off),
 * each with profile-preload.js loaded, remembering each one's peak memory across restarts (not while profiled:
 * the profilers' own samples and the profile written at the end are not the service's memory).
 */
export class Fleet {
  private readonly peakRssBytes = new Map<string, number>();
  private readonly breakdownAtPeak = new Map<string, MemoryBreakdown>();
  private readonly extras: Watched[] = [];
  /** Processes started under the profilers (the lifetimes, not their pids, which the kernel reuses): left out of the peaks. */
  private readonly profiledLifetimes = new WeakSet<Supervised>();

  /** `dir` receives each process's memory record and the profiles. */
  constructor(
    private readonly stack: Stack,
    private readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

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
      process: this.stack.supervisor.start({
        name,
        command: process.execPath,
        args: [script],
        env: { ...env, ...this.instrumentation(name) },
        tier: 1,
      }),
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

  /** Starts stopped instances again (with `env` on top of their own) and waits until each is ready. */
  async start(
    instances: ServiceInstance[],
    { tracing, env }: { tracing: TracingMode; env?: (instance: ServiceInstance) => Record<string, string> },
  ): Promise<void> {
    for (const instance of instances) {
      instance.process = this.stack.supervisor.restart(instance.process, {
        ...tracingEnv(tracing),
        ...this.instrumentation(instance.instanceId, instance.process.spec.env?.NODE_OPTIONS),
        ...env?.(instance),
      });
    }
    await Promise.all(
      instances.map((i) =>
        waitFor(`${i.instanceId} /health/ready`, () => httpOk(`${i.url}/health/ready`), { timeoutMs: 60_000, logPath: i.process.logPath }),
      ),
    );
  }

  async restart(instances: ServiceInstance[], options: Parameters<Fleet['start']>[1]): Promise<void> {
    await this.stop(instances);
    await this.start(instances, options);
  }

  /**
   * Restarts `instances` (production sampling), runs `warmUp`, then `work` under V8's CPU and allocation
   * samplers, and returns where each instance's CPU and allocations went, per component. The warm-up keeps a
   * fresh process's one-time costs (lazy module loads, schema compiles, code not yet optimised) out of a
   * profile meant to show the steady state. The raw profiles stay in `dir` for DevTools.
   */
  async profiled(
    instances: ServiceInstance[],
    { warmUp, work }: { warmUp: () => Promise<unknown>; work: () => Promise<unknown> },
  ): Promise<Map<string, ProcessProfile>> {
    const fileOf = (i: ServiceInstance) => join(this.dir, i.instanceId);
    await this.restart(instances, {
      tracing: PRODUCTION_SAMPLING,
      env: (i) => ({ FANOUT_PROFILE: fileOf(i), FANOUT_MEMORY_PEAK: `${fileOf(i)}.profiled.memory.json` }),
    });
    for (const i of instances) this.profiledLifetimes.add(i.process);
    const toggleProfilers = () => instances.forEach((i) => this.stack.supervisor.signal(i.process, 'SIGUSR2'));
    await warmUp();
    toggleProfilers(); // start sampling, now that start-up and warm-up are over
    await work();
    toggleProfilers(); // stop and write
    const written = (i: ServiceInstance) => existsSync(`${fileOf(i)}.cpuprofile`) && existsSync(`${fileOf(i)}.heapprofile`);
    await waitFor('every profile written', async () => instances.every(written), { timeoutMs: 60_000 });
    const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
    return new Map(
      instances.map((i) => [
        i.instanceId,
        {
          cpu: summarizeProfile(read<CpuProfile>(`${fileOf(i)}.cpuprofile`)),
          allocation: summarizeAllocations(read<{ head: HeapProfileNode }>(`${fileOf(i)}.heapprofile`).head),
        },
      ]),
    );
  }

  /** Reads every running process's high-water mark of resident memory and its record of what that memory was. */
  sample(): void {
    const all: Watched[] = [...this.stack.services.map((s) => ({ name: s.instanceId, process: s.process })), ...this.extras];
    for (const { name, process } of all) {
      if (this.profiledLifetimes.has(process)) continue;
      const kernel = procMemory(process.pid);
      if (!kernel) continue; // the process is gone
      this.peakRssBytes.set(name, Math.max(kernel.peakRss, this.peakRssBytes.get(name) ?? 0));
      const breakdown = this.memoryRecordOf(name);
      if (breakdown && breakdown.rssMb >= (this.breakdownAtPeak.get(name)?.rssMb ?? 0)) this.breakdownAtPeak.set(name, breakdown);
    }
  }

  /** Each process's peak over every lifetime it had during the run, profiled ones excepted. */
  peaks(): Map<string, MemoryPeak> {
    this.sample();
    return new Map(
      [...this.peakRssBytes].map(([name, rss]) => [name, { peakRssMb: Math.round(rss / 2 ** 20), atPeak: this.breakdownAtPeak.get(name) }]),
    );
  }

  /** The environment that loads profile-preload.js, on top of the process's own NODE_OPTIONS. */
  private instrumentation(name: string, nodeOptions = ''): Record<string, string> {
    return {
      NODE_OPTIONS: `${nodeOptions.replace(/\s*--require \S+/g, '')} --require ${PRELOAD}`.trim(),
      FANOUT_MEMORY_PEAK: join(this.dir, `${name}.memory.json`),
    };
  }

  private memoryRecordOf(name: string): MemoryBreakdown | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, `${name}.memory.json`), 'utf8')) as MemoryBreakdown;
    } catch {
      return undefined; // not written yet
    }
  }
}

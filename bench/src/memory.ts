import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

/** The kernel's view of a process's memory, in bytes, from /proc/<pid>/status. */
export interface ProcMemory {
  /** High-water mark of resident memory (VmHWM). */
  peakRss: number;
  rss: number;
  /** Resident pages mapped from files, mostly the node binary: shared by every node process, counted in each RSS. */
  fileBacked: number;
}

export function procMemory(pid: number | 'self'): ProcMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined; // the process is gone
  }
  const bytes = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { peakRss: bytes('VmHWM'), rss: bytes('VmRSS'), fileBacked: bytes('RssFile') };
}

/** What a Node process's resident memory is made of at one moment, in MB. */
export interface MemoryBreakdown {
  rssMb: number;
  fileBackedMb: number;
  /** V8's young generation (new space and its large objects): sized by --max-semi-space-size, mostly garbage. */
  youngGenerationMb: number;
  /** The rest of the V8 heap: old generation, code, large objects; bounded by --max-old-space-size. */
  oldGenerationMb: number;
  /** Memory V8 tracks outside its heap: Buffers and ArrayBuffers. */
  externalMb: number;
  /** What is left: malloc'd native memory (libuv, zlib, V8's own structures), thread stacks. */
  otherNativeMb: number;
}

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/** This process's breakdown, from the kernel's counters and V8's resident heap spaces. */
export function breakdownOfThisProcess(kernel: ProcMemory): MemoryBreakdown {
  let young = 0;
  let old = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (YOUNG_SPACES.has(space.space_name)) young += space.physical_space_size;
    else old += space.physical_space_size;
  }
  const external = process.memoryUsage().external;
  return {
    rssMb: mb(kernel.rss),
    fileBackedMb: mb(kernel.fileBacked),
    youngGenerationMb: mb(young),
    oldGenerationMb: mb(old),
    externalMb: mb(external),
    otherNativeMb: mb(Math.max(0, kernel.rss - kernel.fileBacked - young - old - external)),
  };
}

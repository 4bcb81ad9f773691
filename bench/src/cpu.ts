import { readdirSync, readFileSync } from 'node:fs';
import type { Supervisor } from '@fanout/local-stack';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** What one reading of /proc found for one supervised process and everything it started. */
export interface ProcessUsage {
  /** CPU seconds, user + system. */
  cpuSeconds: number;
  /**
   * Context switches of all its threads (voluntary + involuntary): each time one of them went to sleep
   * or was put off the CPU. On a process that waits for I/O, about one per wake-up.
   */
  contextSwitches: number;
}

/**
 * CPU seconds and context switches used so far by each supervised process and everything it started
 * (PostgreSQL's backends, say, which leave the process group), attributed through the parent chain.
 */
export function usageByProcess(supervisor: Supervisor): Map<string, ProcessUsage> {
  const supervised = new Map(supervisor.running.map((p) => [p.pid, p.name]));
  const processes = new Map<number, { ppid: number } & ProcessUsage>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    processes.set(Number(entry), { ppid: Number(fields[1]), cpuSeconds, contextSwitches: 0 });
  }
  const usage = new Map<string, ProcessUsage>();
  for (const [pid, used] of processes) {
    let ancestor: number | undefined = pid;
    while (ancestor !== undefined && ancestor > 1 && !supervised.has(ancestor)) ancestor = processes.get(ancestor)?.ppid;
    const name = ancestor === undefined ? undefined : supervised.get(ancestor);
    if (!name) continue;
    const total = usage.get(name) ?? { cpuSeconds: 0, contextSwitches: 0 };
    total.cpuSeconds += used.cpuSeconds;
    total.contextSwitches += threadSwitches(pid);
    usage.set(name, total);
  }
  return usage;
}

/** The context switches of every thread of a process (its own /proc/<pid>/status counts only the main thread). */
function threadSwitches(pid: number): number {
  let switches = 0;
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0; // exited meanwhile
  }
  for (const tid of threads) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) switches += Number(match[1]);
    } catch {
      // the thread exited meanwhile
    }
  }
  return switches;
}

/** What each process group used between two readings, by component (kafka-1 → kafka, analytics-service-2 → analytics-service). */
export function usageBetween(before: Map<string, ProcessUsage>, after: Map<string, ProcessUsage>): Record<string, ProcessUsage> {
  const byComponent: Record<string, ProcessUsage> = {};
  for (const [name, total] of after) {
    const component = name.replace(/-\d+$/, '');
    const used = (byComponent[component] ??= { cpuSeconds: 0, contextSwitches: 0 });
    used.cpuSeconds += total.cpuSeconds - (before.get(name)?.cpuSeconds ?? 0);
    used.contextSwitches += total.contextSwitches - (before.get(name)?.contextSwitches ?? 0);
  }
  return byComponent; // unrounded: the tables round when they print, and a per-message figure needs every tick
}

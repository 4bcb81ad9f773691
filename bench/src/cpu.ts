import { readdirSync, readFileSync } from 'node:fs';
import type { Supervisor } from '@fanout/local-stack';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) used so far by each supervised process and everything it started
 * (PostgreSQL's backends, say, which leave the process group), attributed through the parent chain.
 */
export function cpuSecondsByProcess(supervisor: Supervisor): Map<string, number> {
  const supervised = new Map(supervisor.running.map((p) => [p.pid, p.name]));
  const processes = new Map<number, { ppid: number; seconds: number }>();
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
    processes.set(Number(entry), { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND });
  }
  const seconds = new Map<string, number>();
  for (const [pid, { seconds: used }] of processes) {
    let ancestor: number | undefined = pid;
    while (ancestor !== undefined && ancestor > 1 && !supervised.has(ancestor)) ancestor = processes.get(ancestor)?.ppid;
    const name = ancestor === undefined ? undefined : supervised.get(ancestor);
    if (name) seconds.set(name, (seconds.get(name) ?? 0) + used);
  }
  return seconds;
}

/** CPU seconds each process group used between two readings, by component (kafka-1 → kafka, analytics-service-2 → analytics-service). */
export function cpuBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const byComponent: Record<string, number> = {};
  for (const [name, total] of after) {
    const component = name.replace(/-\d+$/, '');
    byComponent[component] = (byComponent[component] ?? 0) + total - (before.get(name) ?? 0);
  }
  return Object.fromEntries(Object.entries(byComponent).map(([c, s]) => [c, Math.round(s * 10) / 10]));
}

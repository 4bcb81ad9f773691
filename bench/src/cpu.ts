import { readdirSync, readFileSync } from 'node:fs';
import type { Supervisor } from '@fanout/local-stack';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by each supervised process group: a process and all it forked. */
export function cpuSecondsByProcess(supervisor: Supervisor): Map<string, number> {
  const nameOfGroup = new Map(supervisor.running.map((p) => [p.pid, p.name]));
  const seconds = new Map<string, number>();
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
    const name = nameOfGroup.get(Number(fields[2]));
    if (!name) continue;
    seconds.set(name, (seconds.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
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

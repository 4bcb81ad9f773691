import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPath, unpackDebianPackage } from '../install';
import type { StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { httpOk, waitFor } from '../wait';

/**
 * Prometheus and promtool from Debian's `prometheus` package, unpacked into the cache. Undefined where
 * the machine cannot have them (no apt, no package index): the stack then runs without Prometheus.
 */
export function installPrometheus(
  s: StackSettings,
  say: (line: string) => void = () => undefined,
): { prometheus: string; promtool: string } | undefined {
  const dir = join(s.cacheDir, 'prometheus-debian');
  const bin = (name: string) => join(dir, 'usr', 'bin', name);
  const unpacked = () => (existsSync(bin('prometheus')) ? { prometheus: bin('prometheus'), promtool: bin('promtool') } : undefined);
  if (unpacked() || !onPath('apt-get') || !onPath('dpkg-deb')) return unpacked();
  try {
    say("unpacking Debian's prometheus package into the cache…");
    unpackDebianPackage('prometheus', dir);
    return unpacked();
  } catch {
    return undefined;
  }
}

/** One scrape job per service, every instance a target: the same job names as compose's Prometheus. */
export function prometheusConfig(targets: { service: string; port: number }[]): string {
  const jobs = [...new Set(targets.map((t) => t.service))].map((service) => {
    const ports = targets.filter((t) => t.service === service).map((t) => `'127.0.0.1:${t.port}'`);
    return `  - job_name: ${service}\n    static_configs:\n      - targets: [${ports.join(', ')}]`;
  });
  return `# Written by the native stack: every instance of every service, every 5 s.\nglobal:\n  scrape_interval: 5s\nscrape_configs:\n${jobs.join('\n')}\n`;
}

/** Starts Prometheus on 127.0.0.1:<prometheusPort> scraping `targets`, if the machine can have it. */
export async function startPrometheus(
  s: StackSettings,
  supervisor: Supervisor,
  targets: { service: string; port: number }[],
  say: (line: string) => void,
): Promise<Supervised | undefined> {
  const installed = installPrometheus(s, say);
  if (!installed) {
    say("no Prometheus: Debian's prometheus package cannot be had here (the console does not need it)");
    return undefined;
  }
  const dir = join(s.stateDir, 'prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'prometheus.yml'), prometheusConfig(targets));
  const prometheus = supervisor.start({
    name: 'prometheus',
    command: installed.prometheus,
    args: [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${s.prometheusPort}`,
      '--storage.tsdb.retention.time=1d',
    ],
    tier: 1,
  });
  await waitFor('Prometheus', () => httpOk(`http://127.0.0.1:${s.prometheusPort}/-/ready`), {
    timeoutMs: 30_000,
    logPath: prometheus.logPath,
  });
  return prometheus;
}

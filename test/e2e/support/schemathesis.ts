import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installSchemathesis } from '@fanout/local-stack';
import { settings } from './env';

export interface Exchange {
  method: string;
  path: string;
  /** Request headers, names lower-cased. */
  headers: Record<string, string>;
  status: number;
  body: string;
}

export interface SchemathesisRun {
  exitCode: number;
  /** The end of schemathesis's report: what failed, and how to reproduce it. */
  summary: string;
  /** Every request it sent and the answer (from its HAR report). */
  exchanges: Exchange[];
}

export interface SchemathesisOptions {
  /** The service's base URL: its OpenAPI document is <url>/docs-json. */
  url: string;
  authorization: string;
  checks: string;
  maxExamples: number;
  seed: number;
  phases?: string;
  excludePathRegex?: string;
}

let st: Promise<string> | undefined;

/** Runs schemathesis (installed from PyPI into the cache on first use) against a service's OpenAPI document. */
export async function runSchemathesis(o: SchemathesisOptions): Promise<SchemathesisRun> {
  st ??= installSchemathesis(settings, (line) => console.log(line));
  const command = await st;
  const dir = mkdtempSync(join(tmpdir(), 'fanout-st-'));
  const har = join(dir, 'run.har');
  const args = [
    'run',
    `${o.url}/docs-json`,
    '--checks',
    o.checks,
    '--header',
    `Authorization: ${o.authorization}`,
    '--max-examples',
    String(o.maxExamples),
    '--seed',
    String(o.seed),
    '--report',
    'har',
    '--report-har-path',
    har,
    ...(o.phases ? ['--phases', o.phases] : []),
    ...(o.excludePathRegex ? ['--exclude-path-regex', o.excludePathRegex] : []),
  ];
  try {
    const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>((resolve) => {
      execFile(
        command,
        args,
        // cwd: its own temporary directory, where schemathesis keeps its example cache (.schemathesis/).
        { cwd: dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } },
        (error, stdout, stderr) => resolve({ exitCode: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    return { exitCode, summary: output.slice(-6_000), exchanges: readHar(har) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readHar(path: string): Exchange[] {
  type Entry = {
    request: { method: string; url: string; headers: { name: string; value: string }[] };
    response: { status: number; content: { text?: string } };
  };
  const entries = (JSON.parse(readFileSync(path, 'utf8')) as { log: { entries: Entry[] } }).log.entries;
  return entries.map(({ request, response }) => ({
    method: request.method,
    path: new URL(request.url).pathname,
    headers: Object.fromEntries(request.headers.map((h) => [h.name.toLowerCase(), h.value])),
    status: response.status,
    body: response.content.text ?? '',
  }));
}

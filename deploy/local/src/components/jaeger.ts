import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installStep, onPath, runAsync } from '../install';
import { REPO_ROOT, type StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { httpOk, waitFor } from '../wait';

/**
 * Jaeger v2 is built from the Go module proxy. The proxy serves the module's v1.x tags (v1.76.0 is the
 * release paired with v2.13.0: cmd/jaeger is the v2 binary), not the v2.x tags or commit pseudo-versions,
 * and go.mod's replace directive means it must be built inside a copy of the module, not `go install`ed.
 */
export const JAEGER_MODULE_VERSION = 'v1.76.0';
const MODULE = 'github.com/jaegertracing/jaeger';

/** The Jaeger binary, built once into the cache (a cold build takes minutes; Go's own build cache makes later ones fast). */
export async function installJaeger(s: StackSettings, say: (line: string) => void): Promise<string> {
  const binary = join(s.cacheDir, `jaeger-${JAEGER_MODULE_VERSION}`, 'bin', 'jaeger');
  if (existsSync(binary)) return binary;
  if (!onPath('go')) {
    throw new Error(
      'Jaeger is built from source with Go, and no `go` is on the PATH: install Go 1.24 or newer (https://go.dev/dl) and run again',
    );
  }
  await installStep(
    `building Jaeger from ${MODULE}@${JAEGER_MODULE_VERSION}`,
    say,
    async () => {
      const env = { GOFLAGS: '-mod=mod', GONOSUMDB: 'github.com/jaegertracing/*' };
      const download = await runAsync('go', ['mod', 'download', '-json', `${MODULE}@${JAEGER_MODULE_VERSION}`], { env });
      const { Dir } = JSON.parse(download) as { Dir: string };
      const workDir = mkdtempSync(join(tmpdir(), 'jaeger-build-'));
      try {
        cpSync(Dir, workDir, { recursive: true });
        await runAsync('chmod', ['-R', 'u+w', workDir]); // the module cache is read-only
        await runAsync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', binary, './cmd/jaeger'], { cwd: workDir, env });
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
    '~4 min on 2 cores the first time, seconds once Go has it in its build cache',
  );
  return binary;
}

export async function startJaeger(s: StackSettings, supervisor: Supervisor, binary: string): Promise<Supervised> {
  const jaeger = supervisor.start({
    name: 'jaeger',
    command: binary,
    args: ['--config', join(REPO_ROOT, 'deploy', 'local', 'jaeger.yaml')],
    env: {
      JAEGER_UI_PORT: String(s.jaegerUiPort),
      JAEGER_HEALTH_PORT: String(s.jaegerHealthPort),
      OTLP_GRPC_PORT: String(s.otlpGrpcPort),
      OTLP_HTTP_PORT: String(s.otlpHttpPort),
    },
  });
  await waitFor('Jaeger', () => httpOk(`http://127.0.0.1:${s.jaegerHealthPort}/status`), {
    timeoutMs: 30_000,
    logPath: jaeger.logPath,
  });
  return jaeger;
}

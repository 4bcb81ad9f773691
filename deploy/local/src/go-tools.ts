import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onPath, run } from './install';
import { REPO_ROOT, settingsFromEnv } from './settings';

/** Tools the deploy checks build once from the Go module proxy and cache beside Kafka and Jaeger. */
const KUSTOMIZE_VERSION = 'v5.7.1'; // v5.8.x needs Go 1.27; the machines have 1.26

function requireGo(): void {
  if (!onPath('go')) throw new Error('the deploy checks build Go tools, and no `go` is on the PATH');
}

/** kustomize, for rendering deploy/k8s. */
export function kustomizeBinary(cacheDir = settingsFromEnv().cacheDir): string {
  const bin = join(cacheDir, `kustomize-${KUSTOMIZE_VERSION}`, 'bin');
  if (!existsSync(join(bin, 'kustomize'))) {
    requireGo();
    run('go', ['install', `sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}`], { env: { GOBIN: bin } });
  }
  return join(bin, 'kustomize');
}

/** deploy/compose-check: loads a Compose file with compose-go, the loader of `docker compose`. */
export function composeCheckBinary(cacheDir = settingsFromEnv().cacheDir): string {
  const binary = join(cacheDir, 'compose-check', 'compose-check');
  const source = join(REPO_ROOT, 'deploy', 'compose-check');
  requireGo();
  // go build is incremental: a no-op when main.go and go.mod are unchanged.
  run('go', ['build', '-o', binary, '.'], { cwd: source });
  return binary;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issuerUrl, kafkaBootstrap, run, serviceEnv } from '@fanout/local-stack';
import { backOffice } from './support/auth';
import { databaseUrl, redisUrl, settings } from './support/env';
import { eventually } from './support/eventually';
import { randomOrder } from './support/orders';

const repo = join(__dirname, '..', '..');

/**
 * The Dockerfile's stages (turbo prune → install → build → prune dev deps), rehearsed without Docker by
 * deploy/image/rehearse.sh; the pruned order-service then serves a real order against the suite's stack.
 */
describe('the pruned order-service image contents', () => {
  const dir = join(tmpdir(), 'fanout-image-rehearsal');
  const port = 3999;
  let app: ChildProcess | undefined;

  beforeAll(() => {
    run('sh', [join(repo, 'deploy', 'image', 'rehearse.sh'), 'order-service', dir]);
  }, 600_000);

  afterAll(async () => {
    if (!app || app.exitCode !== null) return;
    const exited = new Promise((resolve) => app!.once('exit', resolve));
    app.kill('SIGTERM');
    await exited;
  });

  it('holds the app and only the libs it depends on, without dev dependencies', () => {
    const root = join(dir, 'app');
    expect(readdirSync(join(root, 'apps'))).toEqual(['order-service']);
    expect(readdirSync(join(root, 'libs')).sort()).toEqual(['contracts', 'messaging', 'order-view', 'service-kit', 'tracing', 'tsconfig']);
    expect(existsSync(join(root, 'node_modules', 'jest'))).toBe(false);
    expect(existsSync(join(root, 'apps', 'order-service', 'dist', 'main.js'))).toBe(true);
  });

  it('starts from the pruned tree and accepts an order', async () => {
    app = spawn(process.execPath, ['apps/order-service/dist/main.js'], {
      cwd: join(dir, 'app'),
      stdio: 'ignore',
      // The native stack's environment of an order-service instance: its own Kafka principal and Redis user.
      env: {
        ...process.env,
        ...serviceEnv(
          settings,
          { kafkaBrokers: kafkaBootstrap(settings), redisUrl, databaseUrl, otlpEndpoint: '', oauthIssuer: issuerUrl(settings) },
          { service: 'order-service', instanceId: 'order-service-pruned', port },
        ),
        OTEL_SDK_DISABLED: 'true',
      },
    });
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      'the pruned order-service ready',
      () => fetch(`${url}/health/ready`).then((r) => r.status),
      (s) => s === 200,
      { timeoutMs: 60_000 },
    );
    const response = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await backOffice()) },
      body: JSON.stringify(randomOrder()),
    });
    expect(response.status).toBe(202);
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { waitFor } from '../wait';

export async function startRedis(s: StackSettings, supervisor: Supervisor): Promise<Supervised> {
  const dir = join(s.stateDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const redis = supervisor.start({
    name: 'redis',
    command: 'redis-server',
    args: ['--bind', '127.0.0.1', '--port', String(s.redisPort), '--dir', dir, '--save', '', '--appendonly', 'yes', '--daemonize', 'no'],
  });
  await waitFor(
    'Redis',
    async () => {
      const client = new Redis({
        port: s.redisPort,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined); // refused connections are expected until it listens
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs: 20_000, logPath: redis.logPath },
  );
  return redis;
}

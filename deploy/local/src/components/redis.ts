import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { REPO_ROOT, type StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { waitFor } from '../wait';
import { secret, secretsDir, withPassword } from './secrets';

const REDIS_DIR = join(REPO_ROOT, 'deploy', 'redis');

/** The user with every right: for the tests, the benchmark and tools. */
export const REDIS_ADMIN = 'admin';

/** The secret holding a Redis user's password. */
export const redisSecret = (user: string): string => `redis-${user}`;

/** The ACL users deploy/redis/users.acl defines, but the passwordless `default` (it may only PING). */
export function redisUsers(): string[] {
  return readFileSync(join(REDIS_DIR, 'users.acl'), 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([keyword, user]) => keyword === 'user' && user !== 'default')
    .map(([, user]) => user!);
}

/** A user's connection URL, without its password. */
export const redisUrl = (s: StackSettings, user: string): string => `redis://${user}@127.0.0.1:${s.redisPort}`;

/** The admin's connection URL, password included. */
export const adminRedisUrl = (s: StackSettings): string => withPassword(redisUrl(s, REDIS_ADMIN), secret(s, redisSecret(REDIS_ADMIN)));

/** Redis with one ACL user per service, started the way compose and k8s start it (deploy/redis/start.sh). */
export async function startRedis(s: StackSettings, supervisor: Supervisor): Promise<Supervised> {
  const dir = join(s.stateDir, 'redis');
  mkdirSync(dir, { recursive: true });
  for (const user of redisUsers()) secret(s, redisSecret(user));
  const redis = supervisor.start({
    name: 'redis',
    command: 'sh',
    args: [
      join(REDIS_DIR, 'start.sh'),
      ...['--bind', '127.0.0.1', '--port', String(s.redisPort), '--dir', dir, '--save', '', '--appendonly', 'yes', '--daemonize', 'no'],
    ],
    env: { REDIS_SECRETS_DIR: secretsDir(s), REDIS_ACL_FILE: join(dir, 'users.acl') },
  });
  await waitFor(
    'Redis',
    async () => {
      const client = new Redis(adminRedisUrl(s), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
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

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { databaseUrl as roleUrl, POSTGRES_ROLES, redisSecret, redisUrl as userUrl, secretPath, withPassword } from '@fanout/local-stack';
import { instances, settings } from './support/env';

const secretOf = (name: string) => readFileSync(secretPath(settings, name), 'utf8');

/** A query as a service's own PostgreSQL role: resolves with its rows or the server's error code and message. */
async function asRole(role: string, sql: string, password = secretOf(`postgres-${role}`)): Promise<string> {
  const client = new Client({ connectionString: withPassword(roleUrl(settings, role), password) });
  try {
    await client.connect();
    const { rowCount } = await client.query(sql);
    return `ok (${rowCount ?? 0} rows)`;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return `${code}: ${message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A Redis command as a service's own ACL user: its reply, or the server's refusal. */
async function asUser(user: string, command: string, args: string[]): Promise<string> {
  const client = new Redis(withPassword(userUrl(settings, user), secretOf(redisSecret(user))), {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return String(await client.call(command, ...args));
  } catch (error) {
    return (error as Error).message.split(' ')[0]!;
  } finally {
    client.disconnect();
  }
}

const notificationRole = POSTGRES_ROLES['notification-service']!;
const analyticsRole = POSTGRES_ROLES['analytics-service']!;

/** Each service reaches its own data and nothing else: PostgreSQL and Redis, not the client, say no. */
describe('PostgreSQL roles and Redis ACL users, one per service', () => {
  it("gives each role its own schema and refuses it the other's", async () => {
    expect(await asRole(analyticsRole, 'SELECT * FROM analytics.orders LIMIT 1')).toMatch(/^ok/);
    expect(await asRole(notificationRole, 'SELECT * FROM notification.deliveries LIMIT 1')).toMatch(/^ok/);
    expect(await asRole(analyticsRole, 'SELECT * FROM notification.deliveries LIMIT 1')).toBe(
      '42501: permission denied for schema notification',
    );
    expect(await asRole(notificationRole, 'DELETE FROM analytics.orders')).toBe('42501: permission denied for schema analytics');
  });

  it('lets no role create schemas, or anything in the public schema, or log in with a wrong password', async () => {
    expect(await asRole(analyticsRole, 'CREATE SCHEMA sneaky')).toMatch(/^42501: permission denied for database/);
    expect(await asRole(notificationRole, 'CREATE TABLE public.sneaky (x int)')).toBe('42501: permission denied for schema public');
    expect(await asRole(analyticsRole, 'SELECT 1', 'not-the-password')).toBe(
      `28P01: password authentication failed for user "${analyticsRole}"`,
    );
  });

  it("keeps each Redis user to its own keys and commands: the ledger is order-service's, the read model cache-refresh's to write", async () => {
    expect(await asUser('order-service', 'SET', ['ledger:accepted:e2e-probe', 'x', 'EX', '60'])).toBe('OK');
    expect(await asUser('order-service', 'GET', ['order-view:e2e-probe'])).toBe('null');
    expect(await asUser('order-service', 'SET', ['order-view:e2e-probe', '{}'])).toBe('NOPERM');
    expect(await asUser('cache-refresh-service', 'GET', ['ledger:accepted:e2e-probe'])).toBe('NOPERM');
    expect(await asUser('analytics-service', 'GET', ['order-view:e2e-probe'])).toBe('NOPERM');
    expect(await asUser('notification-service', 'INCR', ['{rate-limit:analytics-service:x}:hits'])).toBe('NOPERM');
    expect(await asUser('cache-refresh-service', 'FLUSHALL', [])).toBe('NOPERM');
    expect(await asUser('order-service', 'KEYS', ['*'])).toBe('NOPERM');
  });

  it('lets a client without a password only PING, and refuses a wrong one', async () => {
    const anonymous = new Redis(settings.redisPort, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    try {
      await anonymous.connect();
      expect(await anonymous.ping()).toBe('PONG');
      await expect(anonymous.get('ledger:accepted:e2e-probe')).rejects.toThrow(/^NOPERM/);
      await expect(anonymous.call('AUTH', 'order-service', 'not-the-password')).rejects.toThrow(/^WRONGPASS/);
    } finally {
      anonymous.disconnect();
    }
  });

  it('hands services paths to their passwords, never the passwords: none in their environment or their logs', () => {
    const passwords = readdirSync(join(settings.stateDir, 'secrets')).map(secretOf);
    expect(passwords.length).toBeGreaterThanOrEqual(12); // Kafka principals, Redis users, PostgreSQL roles
    const environments = stackProcessEnvironments();
    expect(environments.length).toBeGreaterThanOrEqual(instances.length);
    const logs = readdirSync(join(settings.stateDir, 'logs')).filter((file) => file.endsWith('.log'));
    const leaks = [
      ...environments.filter(({ environ }) => passwords.some((p) => environ.includes(p))).map(({ pid }) => `process ${pid}'s environment`),
      ...logs.filter((file) => passwords.some((p) => readFileSync(join(settings.stateDir, 'logs', file), 'utf8').includes(p))),
    ];
    expect(leaks).toEqual([]);
  });
});

/** The environment of every Node service of this stack (they name its secrets directory). */
function stackProcessEnvironments(): { pid: string; environ: string }[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        return cmdline.includes('/dist/main.js') && environ.includes(secretPath(settings, '')) ? [{ pid, environ }] : [];
      } catch {
        return []; // gone meanwhile, or not ours to read
      }
    });
}

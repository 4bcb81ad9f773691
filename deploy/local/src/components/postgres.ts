import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureDebianPackages, run } from '../install';
import type { StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { waitFor } from '../wait';

/** The database the services share (each keeps its own schema) and its superuser. */
export const DATABASE = 'fanout';
export const DATABASE_USER = 'fanout';
const SYSTEM_USER = 'postgres'; // PostgreSQL refuses to run as root

function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  const bin = version && join(root, version, 'bin');
  return bin && existsSync(join(bin, 'postgres')) ? bin : undefined;
}

export function databaseUrl(s: StackSettings): string {
  return `postgres://${DATABASE_USER}@127.0.0.1:${s.postgresPort}/${DATABASE}`;
}

export async function startPostgres(s: StackSettings, supervisor: Supervisor, say: (line: string) => void): Promise<Supervised> {
  ensureDebianPackages(['postgresql'], () => postgresBinDir() !== undefined, say);
  const bin = postgresBinDir()!;
  const root = process.getuid?.() === 0;
  const dir = join(s.stateDir, 'postgres');
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  if (root) run('chown', ['-R', `${SYSTEM_USER}:`, dir]);
  const asUser = (command: string, args: string[]) =>
    root ? run('runuser', ['-u', SYSTEM_USER, '--', command, ...args]) : run(command, args);
  if (!existsSync(join(data, 'PG_VERSION'))) {
    asUser(join(bin, 'initdb'), ['-D', data, '-U', DATABASE_USER, '--auth=trust', '--encoding=UTF8', '--no-sync']);
  }
  const postgres = supervisor.start({
    name: 'postgres',
    command: join(bin, 'postgres'),
    args: ['-D', data, '-h', '127.0.0.1', '-p', String(s.postgresPort), '-k', dir, '-c', 'fsync=off', '-c', 'max_connections=200'],
    user: root ? SYSTEM_USER : undefined,
    stopSignal: 'SIGINT',
  });
  await waitFor(
    'PostgreSQL',
    async () => {
      const client = new Client({ host: '127.0.0.1', port: s.postgresPort, user: DATABASE_USER, database: 'postgres' });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
        if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
        return true;
      } finally {
        await client.end();
      }
    },
    { timeoutMs: 30_000, logPath: postgres.logPath },
  );
  return postgres;
}

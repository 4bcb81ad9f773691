import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { run } from '../install';
import type { StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { waitFor } from '../wait';

/** The database the services share (each keeps its own schema) and its superuser. */
export const DATABASE = 'fanout';
export const DATABASE_USER = 'fanout';
const SYSTEM_USER = 'postgres'; // PostgreSQL refuses to run as root

export function databaseUrl(s: StackSettings): string {
  return `postgres://${DATABASE_USER}@127.0.0.1:${s.postgresPort}/${DATABASE}`;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must reach its data directory. A clone under a
 * private directory (anything in /root, a mode-700 parent) is out of its reach: then the data lives in
 * that user's home, one directory per state directory, and <stateDir>/postgres links to it, so wiping
 * the state directory (a fresh start) also starts PostgreSQL afresh.
 */
function postgresDirAsRoot(s: StackSettings, say: (line: string) => void): string {
  const inState = join(s.stateDir, 'postgres');
  mkdirSync(s.stateDir, { recursive: true });
  const reachable = (path: string) => {
    try {
      run('runuser', ['-u', SYSTEM_USER, '--', 'test', '-x', path]);
      return true;
    } catch {
      return false;
    }
  };
  if (!isSymlink(inState) && reachable(s.stateDir)) {
    mkdirSync(inState, { recursive: true });
    run('chown', ['-R', `${SYSTEM_USER}:`, inState]);
    return inState;
  }
  const home = run('getent', ['passwd', SYSTEM_USER]).split(':')[5]?.trim() || '/var/lib/postgresql';
  const outside = join(home, 'fanout', createHash('sha256').update(s.stateDir).digest('hex').slice(0, 16));
  if (!isSymlink(inState)) {
    say(`the ${SYSTEM_USER} user cannot reach ${s.stateDir}: PostgreSQL's data goes to ${outside}`);
    rmSync(outside, { recursive: true, force: true }); // a new state directory: no data of an earlier one
    symlinkSync(outside, inState);
  }
  mkdirSync(outside, { recursive: true });
  run('chown', ['-R', `${SYSTEM_USER}:`, join(home, 'fanout')]);
  return outside;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export async function startPostgres(
  s: StackSettings,
  supervisor: Supervisor,
  bin: string,
  say: (line: string) => void,
): Promise<Supervised> {
  const root = process.getuid?.() === 0;
  const dir = root ? postgresDirAsRoot(s, say) : join(s.stateDir, 'postgres');
  const data = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
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

import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { run } from '../install';
import { REPO_ROOT, type StackSettings } from '../settings';
import type { Supervised, Supervisor } from '../supervisor';
import { waitFor } from '../wait';
import { hasSecret, secret, secretsDir, withPassword } from './secrets';

/** The database the services share, each with its own role and schema, and its superuser. */
export const DATABASE = 'fanout';
export const DATABASE_ADMIN = 'fanout';
const SYSTEM_USER = 'postgres'; // PostgreSQL refuses to run as root

/** The services that keep data in PostgreSQL, and their roles (each owns the schema of its name): deploy/postgres/provision.sh. */
export const POSTGRES_ROLES: Readonly<Record<string, string>> = {
  'notification-service': 'notification',
  'analytics-service': 'analytics',
};

/** The secret holding a role's password. */
export const postgresSecret = (role: string): string => `postgres-${role}`;

/** A role's connection URL, without its password. */
export function databaseUrl(s: StackSettings, role: string): string {
  return `postgres://${role}@127.0.0.1:${s.postgresPort}/${DATABASE}`;
}

/** The superuser's connection URL, password included: for the tests, the benchmark and tools. */
export const adminDatabaseUrl = (s: StackSettings): string =>
  withPassword(databaseUrl(s, DATABASE_ADMIN), secret(s, postgresSecret(DATABASE_ADMIN)));

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
    initdb(s, dir, data, (command, args) => asUser(join(bin, command), args));
  } else if (!hasSecret(s, postgresSecret(DATABASE_ADMIN))) {
    throw new Error(`PostgreSQL's data in ${s.stateDir} predates its passwords: start once with --fresh`);
  }
  const adminPassword = secret(s, postgresSecret(DATABASE_ADMIN));
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
      const client = new Client({
        host: '127.0.0.1',
        port: s.postgresPort,
        user: DATABASE_ADMIN,
        password: adminPassword,
        database: 'postgres',
      });
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
  provisionRoles(s, bin, adminPassword);
  return postgres;
}

/** A new cluster whose superuser logs in with its password (SCRAM), over the socket as over TCP. */
function initdb(s: StackSettings, dir: string, data: string, asUser: (command: string, args: string[]) => string): void {
  // initdb reads the password from a file, which the postgres user (as root) must be able to read.
  const pwfile = join(dir, 'initdb-password');
  writeFileSync(pwfile, secret(s, postgresSecret(DATABASE_ADMIN)), { mode: 0o600 });
  try {
    if (process.getuid?.() === 0) run('chown', [`${SYSTEM_USER}:`, pwfile]);
    asUser('initdb', ['-D', data, '-U', DATABASE_ADMIN, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-sync']);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Each service's role and schema, with the passwords of this state directory (deploy/postgres/provision.sh). */
function provisionRoles(s: StackSettings, bin: string, adminPassword: string): void {
  for (const role of Object.values(POSTGRES_ROLES)) secret(s, postgresSecret(role));
  run('sh', [join(REPO_ROOT, 'deploy', 'postgres', 'provision.sh')], {
    env: {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      PGHOST: '127.0.0.1',
      PGPORT: String(s.postgresPort),
      PGUSER: DATABASE_ADMIN,
      PGPASSWORD: adminPassword,
      PGDATABASE: DATABASE,
      POSTGRES_SECRETS_DIR: secretsDir(s),
    },
  });
}

import { Logger } from '@nestjs/common';
import { Pool, type PoolClient } from 'pg';
import { untraced } from '@fanout/tracing';

export type { Pool, PoolClient } from 'pg';

const log = new Logger('PostgreSQL');

/**
 * A connection pool that survives the database going away: an idle connection the server drops
 * is discarded and logged (without a listener, pg's 'error' event would end the process).
 */
export function createPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => log.warn(`PostgreSQL dropped an idle connection: ${error.message}`));
  return pool;
}

/**
 * Runs `work` in one transaction: committed if it resolves, rolled back if it throws. BEGIN, COMMIT
 * and ROLLBACK make no spans: the statements inside say what the transaction did, at a fraction of the cost.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The server may drop the connection between two statements: without a listener that 'error' would end the process.
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await untraced(() => client.query('BEGIN'));
    const result = await work(client);
    await untraced(() => client.query('COMMIT'));
    return result;
  } catch (error) {
    // A connection that cannot even roll back is broken: close it rather than hand it to the next transaction.
    await untraced(() => client.query('ROLLBACK')).catch(() => (broken = error as Error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Applies a service's idempotent schema DDL once per start. The advisory lock serialises
 * instances of one service starting together, whose CREATE ... IF NOT EXISTS would otherwise race.
 */
export async function migrate(pool: Pool, lockName: string, ddl: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName]);
    await client.query(ddl);
  });
}

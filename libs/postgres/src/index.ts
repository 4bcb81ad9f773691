import { Pool, type PoolClient } from 'pg';

export type { Pool, PoolClient } from 'pg';

export function createPool(connectionString: string, max = 10): Pool {
  return new Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
}

/** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
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

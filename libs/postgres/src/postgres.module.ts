import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Pool } from 'pg';
import { ReadinessChecks, withPassword } from '@fanout/service-kit';
import { createPool, migrate } from './pool';

/** The service's PostgreSQL pool: inject it with `@Inject(PG_POOL)`. */
export const PG_POOL = Symbol('PG_POOL');

@Injectable()
class PoolShutdown implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

export interface SchemaMigration {
  /** Serialises instances starting together (an advisory lock of this name). */
  lockName: string;
  /**
   * Idempotent DDL of the tables in the service's own schema. The schema itself, and the role that owns
   * it, are the deployment's (deploy/postgres/provision.sh): a service may create tables, not schemas.
   */
  ddl: string;
}

/** PostgreSQL for a service: a pool on DATABASE_URL as its own role (DATABASE_PASSWORD), its tables migrated at start, readiness as "postgres", closed on shutdown. */
@Module({})
export class PostgresModule {
  static forRoot(schema: SchemaMigration): DynamicModule {
    return {
      module: PostgresModule,
      global: true,
      providers: [
        {
          provide: PG_POOL,
          inject: [ConfigService, ReadinessChecks],
          useFactory: async (config: ConfigService, readiness: ReadinessChecks) => {
            const pool = createPool(withPassword(config.getOrThrow<string>('DATABASE_URL'), config.get<string>('DATABASE_PASSWORD')));
            await migrate(pool, schema.lockName, schema.ddl);
            readiness.registerPing('postgres', () => pool.query('SELECT 1'));
            return pool;
          },
        },
        PoolShutdown,
      ],
      exports: [PG_POOL],
    };
  }
}

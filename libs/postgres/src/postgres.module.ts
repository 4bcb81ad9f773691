import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Pool } from 'pg';
import { ReadinessChecks } from '@fanout/service-kit';
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
  /** Idempotent DDL: the service's own schema. */
  ddl: string;
}

/** PostgreSQL for a service: a pool on DATABASE_URL, its schema migrated at start, readiness as "postgres", closed on shutdown. */
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
            const pool = createPool(config.getOrThrow<string>('DATABASE_URL'));
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

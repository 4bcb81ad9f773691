export * from './pool';
export { PG_POOL, PostgresModule, type SchemaMigration } from './postgres.module';

export { arrayLiteral } from './array-literal';
export * from './pool';
export { PG_POOL, PostgresModule, type SchemaMigration } from './postgres.module';

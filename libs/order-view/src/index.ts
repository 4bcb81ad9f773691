export * from './order-view';
export { OrderViewStore, type ViewPatch } from './order-view-store';
export { IdempotencyKeys } from './idempotency-keys';
export { OrderViewModule } from './order-view.module';

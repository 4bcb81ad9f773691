export * from './order-view';
export { OrderViewStore, type ViewPatch } from './order-view-store';
export { OrderLedger, type KeyClaim, type KeyedOrder } from './order-ledger';
export { OrderViewModule } from './order-view.module';

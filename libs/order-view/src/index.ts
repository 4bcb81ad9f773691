export * from './order-view';
export { OrderViewStore, type ViewPatch } from './order-view-store';

export * from './order-view';
export { OrderViewStore } from './order-view-store';

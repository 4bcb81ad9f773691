export * from './topics';
export * from './order-events';
export * from './fixtures';

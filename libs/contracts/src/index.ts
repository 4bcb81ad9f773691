export * from './topics';
export * from './headers';
export * from './order-events';
export * from './decode';
export * from './fixtures';

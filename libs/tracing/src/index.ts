export { startTracing, stopTracing, serviceInstanceId } from './sdk';
export { spanCounts } from './span-counts';
export * from './spans';
export type { Attributes } from '@opentelemetry/api';

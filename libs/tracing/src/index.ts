export { startTracing, stopTracing, serviceInstanceId } from './sdk';
export { spanCounts } from './span-counts';
export * from './messaging-spans';
export type { Attributes } from '@opentelemetry/api';

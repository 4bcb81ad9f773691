export { startTracing, stopTracing, serviceInstanceId } from './sdk';
export * from './messaging-spans';
export type { Attributes } from '@opentelemetry/api';

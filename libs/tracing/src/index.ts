export { startTracing, stopTracing, serviceInstanceId } from './sdk';
export * from './messaging-spans';

export { startStack, type Stack } from './stack';
export { settingsFromEnv, kafkaBootstrap, type StackSettings } from './settings';
export { serviceLayout, serviceEnv, type ServiceInstance } from './components/services';
export { KAFKA_VERSION, installKafkaTools, runKafkaTool } from './components/kafka';
export { JAEGER_MODULE_VERSION } from './components/jaeger';
export { kustomizeBinary, composeCheckBinary } from './go-tools';
export { onPath, run } from './install';
export { waitFor, httpOk } from './wait';
export type { Supervised, Supervisor } from './supervisor';

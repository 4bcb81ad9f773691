export * from './auth';
export * from './bootstrap';
export * from './config';
export * from './env';
export { kafkaFromConfig } from './kafka';
export { ReadinessChecks, type Readiness, type ReadinessCheck } from './health.controller';
export { exposeGauge } from './metrics.controller';
export { ServiceKitModule } from './service-kit.module';
export { cleanupOpenApiDoc, createZodDto, RequestValidationPipe } from './validation';

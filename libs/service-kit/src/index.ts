export * from './bootstrap';
export * from './config';
export * from './env';
export { HealthController, HEALTH_PINGS, ReadinessChecks, type HealthPings, type Readiness } from './health.controller';
export { exposeGauge, MetricsController } from './metrics.controller';
export { ServiceKitModule, SERVICE_KIT_CONTROLLERS } from './service-kit.module';

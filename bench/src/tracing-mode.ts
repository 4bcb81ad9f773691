import { propagation, trace, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';

/** How a phase runs the services: the SDK off, or on with head sampling at this share of orders. */
export type TracingMode = 'off' | { sampling: number };

export const FULL_SAMPLING: TracingMode = { sampling: 1 };
/** A production share: one order in twenty traced. */
export const PRODUCTION_SAMPLING: TracingMode = { sampling: 0.05 };

export const describeTracing = (mode: TracingMode): string => (mode === 'off' ? 'tracing off' : `sampling ${mode.sampling}`);

/** A service's environment for the mode: the standard OTEL_* variables. */
export function tracingEnv(mode: TracingMode): Record<string, string> {
  return mode === 'off'
    ? { OTEL_SDK_DISABLED: 'true' }
    : { OTEL_SDK_DISABLED: 'false', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(mode.sampling) };
}

/**
 * The bench process's own head sampler, registered once: libs/messaging keeps the tracer it first got,
 * so the ratio changes in place rather than by swapping providers.
 */
const headSampler = new (class implements Sampler {
  current = new TraceIdRatioBasedSampler(1);
  shouldSample(context: Context, traceId: string): SamplingResult {
    return this.current.shouldSample(context, traceId);
  }
  toString = () => `HeadSampler(${this.current.toString()})`;
})();
let registered = false;

/**
 * Runs `work` (the backlog pre-load) with a tracer in this process that samples like order-service:
 * its records then carry a `traceparent` whose sampled flag the consumers follow, as real orders would.
 * Nothing is exported: only the sampling decision travels.
 */
export async function withHeadSampling<T>(mode: TracingMode, work: () => Promise<T>): Promise<T> {
  if (!registered) {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler: headSampler }));
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    registered = true;
  }
  headSampler.current = new TraceIdRatioBasedSampler(mode === 'off' ? 0 : mode.sampling);
  return work();
}

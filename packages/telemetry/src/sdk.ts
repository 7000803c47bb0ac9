/**
 * The OpenTelemetry SDK side: imported by `startTracing` only when tracing is configured, so a
 * process with tracing off never loads it.
 */
import { context, diag, DiagLogLevel, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { TracingBackend } from '@microshop/config';
import type { TracingLogger } from './tracing.ts';

export const INSTRUMENTATION_SCOPE = '@microshop/telemetry';

/**
 * Process-wide, shared by every service of the process: the active context follows async calls
 * (AsyncLocalStorage) and crosses HTTP and events as W3C `traceparent`; the SDK's own warnings
 * and errors (a failed export: the collector is down) go to `logger` rather than nowhere.
 * Returns the uninstaller.
 */
export function installContextPropagation(logger: TracingLogger): () => void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const ignore = () => undefined;
  diag.setLogger(
    {
      error: (message, ...args) => logger.error({ args }, `opentelemetry: ${message}`),
      warn: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    DiagLogLevel.WARN,
  );
  return () => {
    context.disable();
    propagation.disable();
    diag.disable();
  };
}

/**
 * A tracer provider of one service: its resource names the service, its spans are batched and
 * sent as OTLP/HTTP JSON. Sampling is explicit (every root, then the parent's decision) so that
 * the OTEL_TRACES_SAMPLER variable, read by the SDK's default, does not bypass the configuration.
 */
export function createServiceTracer(
  backend: Extract<TracingBackend, { kind: 'otlp' }>,
  serviceName: string,
): { tracer: Tracer; shutdown(): Promise<void> } {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: backend.tracesUrl }) }),
    ],
  });
  return {
    tracer: provider.getTracer(INSTRUMENTATION_SCOPE),
    // Flushes what is batched, then stops the exporter.
    shutdown: () => provider.shutdown(),
  };
}

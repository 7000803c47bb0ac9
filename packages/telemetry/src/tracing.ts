import { setTimeout as sleep } from 'node:timers/promises';
import type { Config, SubgraphName } from '@microshop/config';
import type { Tracer } from '@opentelemetry/api';

/** Every MicroShop process, as its spans name it (`service.name`). */
export type ServiceName = 'gateway' | SubgraphName | 'orders-worker';

/**
 * The tracing of one service in this process. `close()` flushes its spans to the collector; it
 * does not fail when the collector is unreachable (the spans are lost, and that is logged).
 */
export interface Tracing {
  close(): Promise<void>;
}

/** Where tracing reports its own trouble (a pino Logger fits): export failures, lost spans. */
export interface TracingLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

interface ServiceTracer {
  tracer: Tracer;
  /** Open `Tracing` handles of this service (the test harness may start a service twice). */
  handles: number;
  shutdown(): Promise<void>;
}

/**
 * One tracer provider per service, not one global provider per process: a provider has a single
 * resource (one `service.name`), and the whole-stack test harness runs every service in one
 * process. Code that makes spans asks for its own service's tracer with `tracerOf`.
 */
const tracers = new Map<string, ServiceTracer>();
let stopPropagation: (() => void) | undefined;

const NOT_TRACING: Tracing = { close: async () => undefined };

/**
 * The longest `close()` waits for the last spans to reach the collector. The exporter retries an
 * unreachable one for about 10 s, which would eat into a shutdown's grace period (the gateway's
 * drain comes first) for spans that are lost anyway.
 */
export const FLUSH_TIMEOUT_MS = 3_000;

/**
 * Starts tracing `service` when the configuration names an OTLP collector: a tracer provider
 * with `service.name` = the service (or OTEL_SERVICE_NAME), a batch span processor and an
 * OTLP/HTTP (JSON) exporter; the first one in a process also installs the async-hooks context
 * manager and the W3C trace-context propagator. With tracing off nothing is loaded: the
 * OpenTelemetry SDK is imported here, only when it is chosen.
 */
export async function startTracing(
  config: Pick<Config, 'tracing'>,
  service: ServiceName,
  logger: TracingLogger,
): Promise<Tracing> {
  const backend = config.tracing;
  if (backend.kind === 'off') return NOT_TRACING;
  const sdk = await import('./sdk.ts');

  stopPropagation ??= sdk.installContextPropagation(logger);
  let entry = tracers.get(service);
  if (!entry) {
    entry = { ...sdk.createServiceTracer(backend, backend.serviceName ?? service), handles: 0 };
    tracers.set(service, entry);
  }
  entry.handles += 1;

  const registered = entry;
  let closing: Promise<void> | undefined;
  return {
    close: () =>
      (closing ??= (async () => {
        registered.handles -= 1;
        if (registered.handles > 0) return;
        tracers.delete(service);
        const timedOut = new AbortController();
        try {
          await Promise.race([
            registered.shutdown(),
            sleep(FLUSH_TIMEOUT_MS, undefined, { signal: timedOut.signal }).then(() => {
              throw new Error(`the collector did not take the spans within ${FLUSH_TIMEOUT_MS} ms`);
            }),
          ]);
        } catch (error) {
          logger.warn({ err: error, service }, 'tracing: spans not delivered at shutdown, dropped');
        } finally {
          timedOut.abort();
        }
        if (tracers.size === 0) {
          stopPropagation?.();
          stopPropagation = undefined;
        }
      })()),
  };
}

/** The tracer of `service` while its tracing runs in this process; undefined when it does not. */
export function tracerOf(service: string): Tracer | undefined {
  return tracers.get(service)?.tracer;
}

/** Whether any service of this process is traced: when not, propagation helpers return at once. */
export function isTracing(): boolean {
  return tracers.size > 0;
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConsumerLag } from '@microshop/events';
import type { CircuitState } from './circuit-breaker.ts';
import { metricsReader } from './cluster.ts';
import type { GatewayFeature } from './feature.ts';

/** How a GraphQL HTTP request ended (see `outcomeOf` in request-log.ts). */
export type RequestOutcome = 'ok' | 'graphql_error' | 'refused' | 'error' | 'aborted';

/** The `operation` label of anonymous operations and of requests refused before one was resolved. */
export const ANONYMOUS_OPERATION = '__anonymous__';
/** The `operation` label of every name seen after the cap. */
export const OTHER_OPERATION = '__other__';
/**
 * Operation names are chosen by clients: each distinct name is a set of series (a histogram is a
 * dozen of them) kept in this process's memory and in Prometheus forever, so a client sending
 * random names would grow both without bound. The first names seen keep their own label (a real
 * client's operations are a fixed set, seen early); any later one is counted as `__other__`.
 */
export const DEFAULT_MAX_OPERATION_NAMES = 200;

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface AnsweredRequest {
  operationName: string | null;
  outcome: RequestOutcome;
  status: number;
  durationMs: number;
  /** How the response cache answered it, for a query it could answer. */
  responseCache?: 'hit' | 'miss' | undefined;
}

export interface SubgraphCallMetric {
  subgraph: string;
  outcome: string;
  durationMs: number;
}

/**
 * The gateway's Prometheus metrics, on a registry of its own so that several gateways in one
 * process (the test harness) never collide.
 */
export interface GatewayMetrics {
  registry: Registry;
  observeRequest(request: AnsweredRequest): void;
  observeSubgraphCall(call: SubgraphCallMetric): void;
  /** The consumer-lag gauge, for an event consumer of this gateway named `consumer`. */
  observeConsumerLag(consumer: string, lag: ConsumerLag): void;
  observeCircuitState(subgraph: string, state: CircuitState): void;
  activeSubscriptions: Gauge;
}

const CIRCUIT_STATE_VALUES: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function createGatewayMetrics(options: { maxOperationNames?: number } = {}): GatewayMetrics {
  const maxOperationNames = options.maxOperationNames ?? DEFAULT_MAX_OPERATION_NAMES;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'GraphQL HTTP requests answered by the gateway, by operation name, outcome and HTTP status',
    labelNames: ['operation', 'outcome', 'status'] as const,
    registers: [registry],
  });
  // Both durations are in seconds on the same buckets, so a request's time and its subgraph
  // calls' times compare bucket by bucket.
  const secondsHistogram = <Label extends string>(
    name: string,
    help: string,
    labelNames: readonly Label[],
  ) => new Histogram({ name, help, labelNames, buckets: SECONDS_BUCKETS, registers: [registry] });
  const requestDuration = secondsHistogram(
    'gateway_http_request_duration_seconds',
    'Time to answer a GraphQL HTTP request, by operation name and outcome',
    ['operation', 'outcome'],
  );
  const subgraphDuration = secondsHistogram(
    'gateway_subgraph_request_duration_seconds',
    'Time of one call from the gateway to a subgraph, by subgraph and outcome (its _count counts the calls)',
    ['subgraph', 'outcome'],
  );
  const responseCache = new Counter({
    name: 'gateway_response_cache_total',
    help: 'Queries the response cache could answer, by outcome: hit (from memory) or miss (executed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const consumerLag = new Gauge({
    name: 'gateway_event_consumer_lag',
    help: 'Events the gateway has yet to consume, as last known, by consumer, topic and partition (Kafka only)',
    labelNames: ['consumer', 'topic', 'partition'] as const,
    registers: [registry],
  });
  const activeSubscriptions = new Gauge({
    name: 'gateway_active_subscriptions',
    help: 'Open GraphQL subscriptions over WebSocket',
    registers: [registry],
  });
  const circuitState = new Gauge({
    name: 'gateway_subgraph_circuit_state',
    help: "Each subgraph's circuit breaker: 0 closed, 1 half-open (one probe call), 2 open (calls refused)",
    labelNames: ['subgraph'] as const,
    registers: [registry],
  });

  const operationNames = new Set<string>();
  function operationLabel(name: string | null): string {
    if (name === null) return ANONYMOUS_OPERATION;
    if (operationNames.has(name)) return name;
    if (operationNames.size >= maxOperationNames) return OTHER_OPERATION;
    operationNames.add(name);
    return name;
  }

  return {
    registry,
    activeSubscriptions,
    observeRequest({ operationName, outcome, status, durationMs, responseCache: cached }) {
      const operation = operationLabel(operationName);
      requests.inc({ operation, outcome, status: String(status) });
      requestDuration.observe({ operation, outcome }, durationMs / 1000);
      if (cached) responseCache.inc({ outcome: cached });
    },
    observeSubgraphCall({ subgraph, outcome, durationMs }) {
      subgraphDuration.observe({ subgraph, outcome }, durationMs / 1000);
    },
    observeConsumerLag(consumer, { topic, partition, events }) {
      consumerLag.set(
        partition === undefined ? { consumer, topic } : { consumer, topic, partition },
        events,
      );
    },
    observeCircuitState(subgraph, state) {
      circuitState.set({ subgraph }, CIRCUIT_STATE_VALUES[state]);
    },
  };
}

/**
 * `GET /metrics` (the whole cluster's when the gateway runs as several workers) and the circuit
 * breakers' gauge. The other features record into the same `metrics`.
 */
export function metricsFeature(metrics: GatewayMetrics): GatewayFeature {
  const readMetrics = metricsReader(metrics.registry);
  return {
    name: 'metrics',
    routes: {
      '/metrics': async (_req, res) => {
        const body = await readMetrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(body);
      },
    },
    onCircuitStateChange: (subgraph, state) => metrics.observeCircuitState(subgraph, state),
  };
}

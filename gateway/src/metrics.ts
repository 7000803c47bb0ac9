import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, on a registry of its own so that several gateways in one
 * process (the test harness) never collide. Recording is two label lookups per request.
 */
export interface GatewayMetrics {
  registry: Registry;
  observeRequest(statusCode: number, startedAt: bigint): void;
  activeSubscriptions: Gauge;
}

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'GraphQL HTTP requests answered by the gateway, by HTTP status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'Time to answer a GraphQL HTTP request, by HTTP status',
    labelNames: ['status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const activeSubscriptions = new Gauge({
    name: 'gateway_active_subscriptions',
    help: 'Open GraphQL subscriptions over WebSocket',
    registers: [registry],
  });
  return {
    registry,
    activeSubscriptions,
    observeRequest(statusCode, startedAt) {
      const status = String(statusCode);
      requests.inc({ status });
      duration.observe({ status }, Number(process.hrtime.bigint() - startedAt) / 1e9);
    },
  };
}

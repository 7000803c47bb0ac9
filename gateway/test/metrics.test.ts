import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS_OPERATION,
  OTHER_OPERATION,
  createGatewayMetrics,
  metricsFeature,
  type GatewayMetrics,
} from '../src/metrics.ts';
import { serveFeatures } from './serve-features.ts';

async function series(metrics: GatewayMetrics, name: string) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) throw new Error(`no metric ${name}`);
  return metric.values;
}

async function requestCount(metrics: GatewayMetrics, operation: string, outcome: string) {
  return (await series(metrics, 'gateway_http_requests_total'))
    .filter((value) => value.labels.operation === operation && value.labels.outcome === outcome)
    .reduce((sum, value) => sum + value.value, 0);
}

describe('gateway metrics', () => {
  it('counts requests by operation name and outcome, anonymous ones under one label', async () => {
    const metrics = createGatewayMetrics();
    const answered = { outcome: 'ok', status: 200, durationMs: 12 } as const;
    metrics.observeRequest({ ...answered, operationName: 'Storefront' });
    metrics.observeRequest({ ...answered, operationName: 'Storefront' });
    metrics.observeRequest({ ...answered, operationName: null });
    metrics.observeRequest({ operationName: null, outcome: 'refused', status: 401, durationMs: 1 });

    expect(await requestCount(metrics, 'Storefront', 'ok')).toBe(2);
    expect(await requestCount(metrics, ANONYMOUS_OPERATION, 'ok')).toBe(1);
    expect(await requestCount(metrics, ANONYMOUS_OPERATION, 'refused')).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'gateway_http_request_duration_seconds_count{operation="Storefront",outcome="ok"} 2',
    );
    expect(text).toContain(
      'gateway_http_requests_total{operation="__anonymous__",outcome="refused",status="401"} 1',
    );
  });

  it('keeps the first operation names it sees and counts any later one as __other__', async () => {
    const metrics = createGatewayMetrics({ maxOperationNames: 3 });
    const answer = (operationName: string) =>
      metrics.observeRequest({ operationName, outcome: 'ok', status: 200, durationMs: 1 });
    for (const name of ['A', 'B', 'C', 'D', 'E', 'A', 'E']) answer(name);

    const operations = new Set(
      (await series(metrics, 'gateway_http_requests_total')).map((value) => value.labels.operation),
    );
    expect(operations).toEqual(new Set(['A', 'B', 'C', OTHER_OPERATION]));
    expect(await requestCount(metrics, 'A', 'ok')).toBe(2);
    expect(await requestCount(metrics, OTHER_OPERATION, 'ok')).toBe(3);
  });

  it('records subgraph calls by subgraph and outcome', async () => {
    const metrics = createGatewayMetrics();
    metrics.observeSubgraphCall({ subgraph: 'catalog', outcome: 'ok', durationMs: 3 });
    metrics.observeSubgraphCall({ subgraph: 'catalog', outcome: 'timeout', durationMs: 2000 });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'gateway_subgraph_request_duration_seconds_count{subgraph="catalog",outcome="ok"} 1',
    );
    expect(text).toContain(
      'gateway_subgraph_request_duration_seconds_bucket{le="0.005",subgraph="catalog",outcome="ok"} 1',
    );
    expect(text).toContain(
      'gateway_subgraph_request_duration_seconds_bucket{le="1",subgraph="catalog",outcome="timeout"} 0',
    );
  });

  it('keeps the last known lag of each consumer topic, per partition where there are any', async () => {
    const metrics = createGatewayMetrics();
    metrics.observeConsumerLag('feed', { topic: 'orders', partition: 2, events: 7 });
    metrics.observeConsumerLag('feed', { topic: 'orders', partition: 2, events: 0 });
    metrics.observeConsumerLag('feed', { topic: 'orders', events: 4 });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'gateway_event_consumer_lag{consumer="feed",topic="orders",partition="2"} 0',
    );
    expect(text).toContain('gateway_event_consumer_lag{consumer="feed",topic="orders"} 4');
  });
});

describe('metricsFeature', () => {
  it('serves the registry on GET /metrics, circuit states included', async () => {
    const metrics = createGatewayMetrics();
    const feature = metricsFeature(metrics);
    feature.onCircuitStateChange?.('payments', 'open');
    const served = await serveFeatures([feature]);
    try {
      const response = await fetch(new URL('/metrics', served.url));
      expect(response.headers.get('content-type')).toBe(metrics.registry.contentType);
      expect(await response.text()).toMatch(
        /^gateway_subgraph_circuit_state\{subgraph="payments"\} 2$/m,
      );
    } finally {
      await served.close();
    }
  });
});

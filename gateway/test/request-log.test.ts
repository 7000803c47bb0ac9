import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, sendJson } from '@microshop/runtime';
import { createGatewayMetrics, type GatewayMetrics } from '../src/metrics.ts';
import { requestLogFeature } from '../src/request-log.ts';
import type { SubgraphCall } from '../src/subgraph-data-source.ts';
import { serveFeatures, type ServedFeatures } from './serve-features.ts';

/**
 * The request-log feature alone: one log line and one counted request per GraphQL HTTP request,
 * refusals by the features after it included, and each subgraph call in its request's summary.
 */

const lines: Record<string, unknown>[] = [];
let metrics: GatewayMetrics;
let observed: SubgraphCall[];
let served: ServedFeatures;
let feature: ReturnType<typeof requestLogFeature>;

beforeAll(async () => {
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  metrics = createGatewayMetrics();
  observed = [];
  feature = requestLogFeature(
    createLogger('gateway', { logLevel: 'info' }, output),
    metrics,
    (call) => observed.push(call),
  );
  served = await serveFeatures([
    feature,
    {
      name: 'refuse-on-header',
      async onGraphQLRequest({ req, res }, next) {
        if (req.headers['x-refuse']) sendJson(res, 401, { errors: [] });
        else await next();
      },
    },
  ]);
});

afterAll(() => served.close());

async function logLineOf(response: Response) {
  await response.text();
  const requestId = response.headers.get('x-request-id');
  await expect.poll(() => lines.some((line) => line.requestId === requestId)).toBe(true);
  return lines.find((line) => line.requestId === requestId)!;
}

describe('requestLogFeature', () => {
  it('logs an answered request and a refused one, and counts both', async () => {
    const ok = await logLineOf(await fetch(served.url, { method: 'POST', body: '{}' }));
    expect(ok).toMatchObject({ msg: 'graphql request', outcome: 'ok', status: 200, subgraphs: [] });
    const refused = await logLineOf(
      await fetch(served.url, { method: 'POST', body: '{}', headers: { 'x-refuse': '1' } }),
    );
    expect(refused).toMatchObject({ outcome: 'refused', status: 401 });

    const counted = (await metrics.registry.getMetricsAsJSON())
      .find((metric) => metric.name === 'gateway_http_requests_total')
      ?.values.map((value) => value.labels.outcome);
    expect(counted?.sort()).toEqual(['ok', 'refused']);
  });

  it('puts each subgraph call into its request’s summary and tells the next observer', async () => {
    const summary = { operationName: null, hadErrors: false, upstreamCalls: [] };
    const call: SubgraphCall = {
      subgraph: 'catalog',
      durationMs: 1.234,
      outcome: 'ok',
      context: { summary },
    };
    feature.onSubgraphCall?.(call);
    expect(summary.upstreamCalls).toEqual([{ name: 'catalog', durationMs: 1.23, outcome: 'ok' }]);
    expect(observed).toEqual([call]);
  });
});

import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import { startTracing, tracerOf, type Tracing } from '@microshop/telemetry';
import { OtlpSpanKind, startOtlpReceiver, type OtlpReceiver } from '@microshop/telemetry/testing';
import { tracingFeature } from '../src/tracing.ts';
import { serveFeatures, type ServedFeatures } from './serve-features.ts';

/** The tracing feature alone: one SERVER span per GraphQL request, continuing the caller's trace. */

const opened: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const resource of opened.reverse()) await resource.close();
  opened.length = 0;
});

const silent = { warn: () => undefined, error: () => undefined };

it("opens a SERVER span per GraphQL request in the caller's trace, with its request id", async () => {
  const receiver: OtlpReceiver = await startOtlpReceiver();
  opened.push(receiver);
  const tracing: Tracing = await startTracing(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
    'gateway',
    silent,
  );
  opened.push(tracing);
  const served: ServedFeatures = await serveFeatures([tracingFeature(tracerOf('gateway')!)]);
  opened.push(served);

  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpanId = '00f067aa0ba902b7';
  const response = await fetch(served.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      traceparent: `00-${traceId}-${callerSpanId}-01`,
      'x-request-id': 'trace-test-1',
    },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(response.status).toBe(200);
  expect(served.reached).toHaveLength(1);

  await tracing.close();
  opened.splice(opened.indexOf(tracing), 1);
  const servers = receiver.spans.filter((span) => span.kind === OtlpSpanKind.SERVER);
  expect(servers).toHaveLength(1);
  expect(servers[0]).toMatchObject({
    service: 'gateway',
    traceId,
    parentSpanId: callerSpanId,
    attributes: expect.objectContaining({ 'microshop.request_id': 'trace-test-1' }),
  });
});

import type { SubgraphName } from '@microshop/config';
import { operationSpanPlugin, type RequestContext } from '@microshop/runtime';
import { inHttpServerSpan, inSpan, SpanKind, tracerOf, type Tracer } from '@microshop/telemetry';
import type { GatewayFeature } from './feature.ts';

export { traceHeaders } from '@microshop/telemetry';

/**
 * Runs one subgraph call in a CLIENT span of the gateway's trace when the gateway is traced, so
 * that the `traceparent` the call sends (`traceHeaders()`) makes the subgraph's own span its
 * child; a failed call (error, timeout) marks the span failed. Untraced, it is just `call()`.
 */
export function inSubgraphCallSpan<T>(subgraph: SubgraphName, call: () => Promise<T>): Promise<T> {
  const tracer = tracerOf('gateway');
  if (!tracer) return call();
  return inSpan(
    tracer,
    `subgraph ${subgraph}`,
    { kind: SpanKind.CLIENT, attributes: { 'microshop.subgraph': subgraph } },
    call,
  );
}

/**
 * A SERVER span per GraphQL HTTP request (continuing the client's `traceparent`), named after its
 * operation once resolved; the subgraph calls' CLIENT spans (above) are its children.
 */
export function tracingFeature(tracer: Tracer): GatewayFeature {
  return {
    name: 'tracing',
    plugins: [operationSpanPlugin<RequestContext>()],
    onGraphQLRequest: ({ req, res, requestId }, next) =>
      inHttpServerSpan(tracer, req, res, { 'microshop.request_id': requestId }, next),
  };
}

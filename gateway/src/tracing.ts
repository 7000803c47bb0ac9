import type { SubgraphName } from '@microshop/config';
import { inSpan, SpanKind, tracerOf } from '@microshop/telemetry';

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

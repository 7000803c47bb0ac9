import type { GatewayExecutionResult, GatewayExecutor } from '@apollo/server-gateway-interface';
import type { RequestContext } from '@microshop/runtime';
import { executionKey } from './execution-key.ts';
import type { GatewayFeature } from './feature.ts';
import { InFlightByCaller } from './in-flight.ts';

interface RunningExecution {
  requestId: string | undefined;
  result: Promise<GatewayExecutionResult>;
}

/**
 * Identical queries in flight at once share one execution: the first runs through the query plan
 * and its subgraph calls, the ones that arrive before it ends wait for its result instead of
 * running the same plan again. It is the whole-operation form of the data source's subgraph
 * deduplication: the answer a later caller gets is the one it would have got from the subgraph
 * calls already on the wire, without the gateway merging the same responses once per caller.
 * Mutations always run on their own, and once one has been answered, its caller's next queries
 * run afresh rather than join an execution that started before it (see InFlightByCaller). A fresh
 * read (`freshRead`, a live field's push answering a change) runs on its own too, for the same
 * reason; later identical queries may join it.
 *
 * The result (errors included) is shared as it is: Apollo Server only reads it, and formats
 * errors per request, so each caller's errors carry its own request id. A caller that joined
 * another's execution says so in its log line (`sharedExecutionOf`, the request id the subgraphs
 * saw).
 */
export function deduplicateExecutions(execute: GatewayExecutor): GatewayExecutor {
  const inFlight = new InFlightByCaller<RunningExecution>();
  return (requestContext) => {
    const context = requestContext.context as Partial<RequestContext>;
    const caller = context.authorization ?? '';
    const { operation } = requestContext.operation;
    if (operation !== 'query') {
      const result = execute(requestContext);
      if (operation === 'mutation') inFlight.afterWrite(caller, result);
      return result;
    }
    const key = executionKey(requestContext);
    if (key === undefined) return execute(requestContext);
    const running = context.freshRead ? undefined : inFlight.get(caller, key);
    if (running) {
      if (context.summary) context.summary.sharedExecutionOf = running.requestId;
      return running.result;
    }
    const result = execute(requestContext);
    inFlight.track(caller, key, { requestId: context.requestId, result }, result);
    return result;
  };
}

/** Whole-operation deduplication of identical queries in flight (see deduplicateExecutions). */
export function operationDeduplicationFeature(): GatewayFeature {
  return { name: 'operation-deduplication', wrapExecutor: deduplicateExecutions };
}

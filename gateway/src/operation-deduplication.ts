import type {
  GatewayExecutionResult,
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
} from '@apollo/server-gateway-interface';
import type { RequestContext } from '@microshop/runtime';

/**
 * What a query's answer depends on: the caller's identity (the subgraphs see its Authorization
 * header and nothing else of it), the document, the operation chosen in it, and the variables.
 * Undefined for mutations, whose effects every caller must get, and for variables too deeply
 * nested to serialise: those are the executor's to refuse (BAD_USER_INPUT), not this key's.
 */
function executionKey(
  requestContext: GatewayGraphQLRequestContext<Partial<RequestContext>>,
): string | undefined {
  if (requestContext.operation.operation !== 'query') return undefined;
  let variables: string;
  try {
    variables = JSON.stringify(requestContext.request.variables ?? {});
  } catch {
    return undefined;
  }
  const { authorization = '' } = requestContext.context;
  return `${authorization}\n${requestContext.queryHash}\n${requestContext.operationName ?? ''}\n${variables}`;
}

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
 *
 * The result (errors included) is shared as it is: Apollo Server only reads it, and formats
 * errors per request, so each caller's errors carry its own request id. A caller that joined
 * another's execution says so in its log line (`sharedExecutionOf`, the request id the subgraphs
 * saw).
 */
export function deduplicateExecutions(execute: GatewayExecutor): GatewayExecutor {
  const inFlight = new Map<string, RunningExecution>();
  return (requestContext) => {
    const key = executionKey(requestContext);
    if (key === undefined) return execute(requestContext);
    const context = requestContext.context as Partial<RequestContext>;
    const running = inFlight.get(key);
    if (running) {
      if (context.summary) context.summary.sharedExecutionOf = running.requestId;
      return running.result;
    }
    const result = execute(requestContext);
    inFlight.set(key, { requestId: context.requestId, result });
    const forget = () => inFlight.delete(key);
    result.then(forget, forget);
    return result;
  };
}

/** `gateway` whose executor deduplicates identical queries in flight (see deduplicateExecutions). */
export function deduplicatingGateway(gateway: GatewayInterface): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(options) {
      const loaded = await gateway.load(options);
      return {
        ...loaded,
        executor: loaded.executor && deduplicateExecutions(loaded.executor),
      };
    },
  };
}

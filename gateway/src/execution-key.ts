import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';

/**
 * What a query's answer depends on besides its caller (the subgraphs see the caller's
 * Authorization header and nothing else of it): the document, the operation chosen in it, and the
 * variables. Undefined for variables too deeply nested to serialise: those are the executor's to
 * refuse (BAD_USER_INPUT), not this key's.
 */
/** The document and the operation chosen in it: what a query plan is made for. */
export function documentKey(requestContext: GatewayGraphQLRequestContext): string {
  return `${requestContext.queryHash}\n${requestContext.operationName ?? ''}`;
}

export function executionKey(requestContext: GatewayGraphQLRequestContext): string | undefined {
  let variables: string;
  try {
    variables = JSON.stringify(requestContext.request.variables ?? {});
  } catch {
    return undefined;
  }
  return `${documentKey(requestContext)}\n${variables}`;
}

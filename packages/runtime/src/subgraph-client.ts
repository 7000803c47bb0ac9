import { traceHeaders } from '@microshop/telemetry';
import { REQUEST_ID_HEADER } from './http.ts';

/** Who a call to another subgraph is made for: the caller's own token and request id. */
export interface OnBehalfOf {
  authorization?: string | undefined;
  requestId: string;
}

/** A GraphQL error as another subgraph sent it. */
export interface SubgraphError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

/** A subgraph's answer: its HTTP status and GraphQL body, for the caller to interpret. */
export interface SubgraphAnswer<TData> {
  status: number;
  data?: TData | null;
  errors?: SubgraphError[];
}

/** The subgraph could not be asked: connection refused or reset, a timeout, or a body that is not JSON. */
export class SubgraphUnreachableError extends Error {
  override name = 'SubgraphUnreachableError';
}

/**
 * One GraphQL request from a subgraph to another on a caller's behalf, the way the gateway makes
 * it: the caller's own Authorization header (the other subgraph verifies the token itself), the
 * request id and the trace context, so that its logs, errors and spans belong to the same request.
 * What the answer means (an outage, a refusal, partial data) is the caller's to decide.
 */
export async function querySubgraph<TData>(
  url: string,
  request: { query: string; variables: Record<string, unknown> },
  caller: OnBehalfOf,
  timeoutMs: number,
): Promise<SubgraphAnswer<TData>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    [REQUEST_ID_HEADER]: caller.requestId,
    ...traceHeaders(),
  };
  if (caller.authorization) headers.authorization = caller.authorization;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as Omit<SubgraphAnswer<TData>, 'status'>;
    return { status: response.status, data: body.data, errors: body.errors };
  } catch (error) {
    throw new SubgraphUnreachableError(`${url} could not be asked`, { cause: error });
  }
}

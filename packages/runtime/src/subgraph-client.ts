import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
 * Connections to other subgraphs are kept open between calls: a new TCP connection per call, or
 * fetch's (undici's) per-request objects, cost more than the call itself on the cart's hot path.
 */
// Idle sockets are dropped before the subgraph server's own keep-alive timeout (65 s) closes them.
const agentOptions = { keepAlive: true, maxSockets: 64, timeout: 30_000 };
const httpAgent = new HttpAgent(agentOptions);
const httpsAgent = new HttpsAgent(agentOptions);

/** POSTs `body` and resolves with the answer's status and text, within `timeoutMs` in all. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const secure = url.startsWith('https:');
    const send = secure ? httpsRequest : httpRequest;
    const agent = secure ? httpsAgent : httpAgent;
    const req = send(url, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('error', fail);
    req.end(body);
  });
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
  const body = JSON.stringify(request);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    accept: 'application/json',
    [REQUEST_ID_HEADER]: caller.requestId,
    ...traceHeaders(),
  };
  if (caller.authorization) headers.authorization = caller.authorization;
  try {
    const { status, text } = await post(url, headers, body, timeoutMs);
    const answer = JSON.parse(text) as Omit<SubgraphAnswer<TData>, 'status'>;
    return { status, data: answer.data, errors: answer.errors };
  } catch (error) {
    throw new SubgraphUnreachableError(`${url} could not be asked`, { cause: error });
  }
}

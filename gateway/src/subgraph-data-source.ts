import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
// graphql's CommonJS entry, as in operation-limits.ts: Apollo Server's copy. An error of another
// copy is rewrapped by Apollo Server, which drops its path.
import { GraphQLError } from 'graphql/index.js';
import { Pool } from 'undici';
import type { SubgraphName } from '@microshop/config';
import { ErrorCode, REQUEST_ID_HEADER, type Logger, type RequestContext } from '@microshop/runtime';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import { InFlightByCaller } from './in-flight.ts';
import { inSubgraphCallSpan, traceHeaders } from './tracing.ts';

export type SubgraphCallOutcome = 'ok' | 'error' | 'timeout' | 'circuit_open';
export interface SubgraphCall {
  subgraph: SubgraphName;
  durationMs: number;
  outcome: SubgraphCallOutcome;
  context: Partial<RequestContext>;
}
export type SubgraphCallObserver = (call: SubgraphCall) => void;

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface SubgraphDataSourceOptions {
  name: SubgraphName;
  /** The subgraph's GraphQL endpoint. */
  url: string;
  /** Bounds connecting, waiting for the response headers, and each silence in the response body. */
  timeoutMs: number;
  maxConnections: number;
  /**
   * Whether identical queries in flight at once (same Authorization, same body) share one call:
   * a burst of the same storefront query costs the subgraph one answer, not one per caller.
   */
  deduplicateQueries: boolean;
  /**
   * Shared by the data sources of one gateway, so that a caller's mutation in any subgraph ends
   * the joining of their calls to every subgraph (a write in one may show in another's answer).
   */
  inFlight?: InFlightSubgraphCalls;
  circuitBreaker: { failureThreshold: number; cooldownMs: number };
  logger: Logger;
  onCircuitStateChange?: (subgraph: SubgraphName, state: CircuitState) => void;
  /** Called once per call, refused ones included. */
  onCall?: SubgraphCallObserver | undefined;
}

interface GraphQLErrorBody {
  errors: { message?: unknown; extensions?: { code?: unknown } }[];
}

function isGraphQLErrorBody(body: unknown): body is GraphQLErrorBody {
  return (
    typeof body === 'object' && body !== null && Array.isArray((body as GraphQLErrorBody).errors)
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** What came back over the wire, before it is interpreted for one caller. */
interface RawResponse {
  statusCode: number;
  text: string;
}

/** Subgraph calls in flight, by caller and by subgraph and body. */
export type InFlightSubgraphCalls = InFlightByCaller<Promise<RawResponse>>;

/**
 * Whether a fetch of the query plan is a query. Its document is not at hand (the planner keeps
 * only the text unless told to keep both), and the text is the planner's own: it starts with
 * `query` or `{` for a query, `mutation` otherwise.
 */
function isQuery(operation: string | undefined): boolean {
  return operation !== undefined && /^\s*(?:query\b|\{)/.test(operation);
}

/** The subgraph gave no usable answer; the caller learns which one, never where it lives. */
class SubgraphUnavailable extends Error {
  constructor(
    readonly outcome: 'error' | 'timeout',
    cause: unknown,
  ) {
    super('subgraph unavailable', { cause });
  }
}

/** The subgraph answered with an HTTP error status; 5xx counts against its circuit. */
class SubgraphHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly clientError: GraphQLError,
  ) {
    super(clientError.message);
  }
}

/**
 * The error standing in for what a subgraph could not give. Its path leads to the part of the
 * response that is missing: the plan's path to the fetch, cut before its first list (`@`), since
 * a response path names list items one by one.
 */
function unavailableError(
  subgraph: SubgraphName,
  planPath: readonly (string | number)[] | undefined,
): GraphQLError {
  const listAt = planPath?.indexOf('@') ?? -1;
  const path = listAt === -1 ? planPath : planPath?.slice(0, listAt);
  return new GraphQLError(`The ${subgraph} service is unavailable; try again shortly.`, {
    ...(path?.length ? { path } : {}),
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName: subgraph },
  });
}

/**
 * One subgraph as the gateway sees it.
 *
 * Calls go over a pool of keep-alive connections of this subgraph alone (undici's `request`, the
 * leanest client Node has: no WHATWG Request/Response objects, the body parsed once), bounded by
 * `maxConnections` and by `timeoutMs`, and through a circuit breaker: a subgraph that is down, hangs
 * or answers 5xx is answered for with SERVICE_UNAVAILABLE, and after `failureThreshold` such calls
 * in a row it is not called at all for a cool-down, so that the rest of a query still resolves and
 * resolves quickly (the gateway returns the other subgraphs' data beside the error).
 *
 * Forwards the caller's own Authorization header (each subgraph verifies the token again; nothing
 * trusts a bare user id), the request id, so a subgraph's logs and errors carry the id the client
 * got back, and the client's address as `x-forwarded-for` (for the users subgraph's per-address
 * login limits).
 */
export class SubgraphDataSource implements GraphQLDataSource<RequestContext> {
  private readonly name: SubgraphName;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly breaker: CircuitBreaker;
  private readonly logger: Logger;
  private readonly onCall: SubgraphCallObserver | undefined;
  private readonly deduplicateQueries: boolean;
  /** Queries on the wire now, by caller, subgraph and body: later identical ones wait for them. */
  private readonly inFlight: InFlightSubgraphCalls;

  constructor(options: SubgraphDataSourceOptions) {
    const url = new URL(options.url);
    this.name = options.name;
    this.path = `${url.pathname}${url.search}`;
    this.logger = options.logger;
    this.onCall = options.onCall;
    this.deduplicateQueries = options.deduplicateQueries;
    this.inFlight = options.inFlight ?? new InFlightByCaller();
    this.pool = new Pool(url.origin, {
      connections: options.maxConnections,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const { onCircuitStateChange } = options;
    this.breaker = new CircuitBreaker({
      ...options.circuitBreaker,
      onStateChange: (state) => {
        const fields = { subgraph: this.name, circuit: state };
        if (state === 'closed') this.logger.info(fields, 'subgraph circuit closed');
        else this.logger.warn(fields, `subgraph circuit ${state}`);
        onCircuitStateChange?.(this.name, state);
      },
    });
  }

  async process(
    options: GraphQLDataSourceProcessOptions<RequestContext>,
  ): Promise<SubgraphResponse> {
    // Health checks and schema loading carry no request context.
    const context = options.context as Partial<RequestContext>;
    const planPath = 'pathInIncomingRequest' in options ? options.pathInIncomingRequest : undefined;
    if (!this.breaker.tryAcquire()) {
      this.report(context, 0, 'circuit_open');
      throw unavailableError(this.name, planPath);
    }
    const startedAt = performance.now();
    try {
      const response = await inSubgraphCallSpan(this.name, () =>
        this.send(options.request, context),
      );
      this.breaker.succeeded();
      this.report(context, performance.now() - startedAt, 'ok');
      return response;
    } catch (error) {
      const durationMs = performance.now() - startedAt;
      if (error instanceof SubgraphHttpError) {
        // A 4xx is the subgraph, up, refusing this request (e.g. 401); a 5xx is the subgraph failing.
        if (error.statusCode >= 500) this.breaker.failed();
        else this.breaker.succeeded();
        this.report(context, durationMs, 'error');
        throw error.clientError;
      }
      const outcome = error instanceof SubgraphUnavailable ? error.outcome : 'error';
      this.breaker.failed();
      this.report(context, durationMs, outcome);
      (context.log ?? this.logger).warn(
        {
          err: error instanceof SubgraphUnavailable ? error.cause : error,
          subgraph: this.name,
          outcome,
        },
        'subgraph unavailable',
      );
      throw unavailableError(this.name, planPath);
    }
  }

  /** Ends every pooled connection, answered or not (the gateway has drained by then). */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private report(
    context: Partial<RequestContext>,
    durationMs: number,
    outcome: SubgraphCallOutcome,
  ): void {
    if (this.onCall) this.onCall({ subgraph: this.name, durationMs, outcome, context });
  }

  private async send(
    request: GraphQLDataSourceProcessOptions['request'],
    context: Partial<RequestContext>,
  ): Promise<SubgraphResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // Set by the executor only to ask a subgraph for its inline trace.
    if (request.http) for (const [name, value] of request.http.headers) headers[name] = value;
    if (context.authorization) headers.authorization = context.authorization;
    if (context.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    if (context.clientAddress) headers['x-forwarded-for'] = context.clientAddress;
    Object.assign(headers, traceHeaders());
    const body = JSON.stringify({
      query: request.query,
      operationName: request.operationName,
      variables: request.variables,
      extensions: request.extensions,
    });

    // Only queries: a mutation has effects, each caller's must happen, and its caller's later
    // queries do not join calls that went out before it. What a subgraph's answer to a query
    // depends on is the caller's identity and the body; the request id and trace headers of the
    // first caller travel with the shared call. A fresh read (a live field's push) joins nothing
    // that went out before it, and may be joined.
    const caller = headers.authorization ?? '';
    const shared = this.deduplicateQueries && isQuery(request.query);
    const key = `${this.name}\n${body}`;
    let exchange = shared && !context.freshRead ? this.inFlight.get(caller, key) : undefined;
    if (!exchange) {
      exchange = this.exchange(headers, body);
      if (shared) this.inFlight.track(caller, key, exchange, exchange);
      else if (this.deduplicateQueries) this.inFlight.afterWrite(caller, exchange);
    }
    // Each caller parses the text itself: the executor merges into the objects it is given.
    const { statusCode, text } = await exchange;
    const parsed = parseJson(text);
    if (statusCode >= 200 && statusCode < 300) {
      if (typeof parsed !== 'object' || parsed === null) {
        throw new SubgraphUnavailable('error', new Error(`HTTP ${statusCode} without a JSON body`));
      }
      return parsed as SubgraphResponse;
    }
    const first = isGraphQLErrorBody(parsed) ? parsed.errors[0] : undefined;
    if (statusCode >= 500 && !first) {
      throw new SubgraphUnavailable('error', new Error(`HTTP ${statusCode}`));
    }
    throw new SubgraphHttpError(statusCode, errorFromStatus(statusCode, first));
  }

  private async exchange(headers: Record<string, string>, body: string): Promise<RawResponse> {
    try {
      const response = await this.pool.request({ path: this.path, method: 'POST', headers, body });
      return { statusCode: response.statusCode, text: await response.body.text() };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new SubgraphUnavailable(
        typeof code === 'string' && TIMEOUT_CODES.has(code) ? 'timeout' : 'error',
        error,
      );
    }
  }
}

/**
 * A subgraph that answered with an HTTP error status: keep its own first error (message and code,
 * e.g. FORBIDDEN) rather than Apollo's default, which attaches the subgraph's URL and raw body to
 * the error a client receives.
 */
function errorFromStatus(
  statusCode: number,
  first: GraphQLErrorBody['errors'][number] | undefined,
): GraphQLError {
  const fallbackCode =
    statusCode === 401 ? 'UNAUTHENTICATED' : statusCode === 403 ? 'FORBIDDEN' : undefined;
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : fallbackCode;
  const message =
    typeof first?.message === 'string' ? first.message : `Subgraph answered HTTP ${statusCode}`;
  return new GraphQLError(message, { extensions: code ? { code } : {} });
}

import type { Principal } from '@microshop/auth';
import type { Logger } from './logger.ts';

/** What every resolver and service receives first: who is calling, and how to log for this request. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  principal: Principal | null;
  /** The caller's own Authorization header, for calls made on the caller's behalf. */
  authorization: string | undefined;
  /**
   * The end client's IP address: the first hop of `x-forwarded-for` (set by the gateway, the only
   * caller of a subgraph), else the connection's peer. For rate limits, never for authorization.
   */
  clientAddress?: string | undefined;
  /** Set by the gateway on the requests it logs: what their one log line reports. */
  summary?: RequestSummary;
  /**
   * Set on a read that must see every change announced before it started (a live field's push):
   * it never joins an identical request already in flight, which may have started before that
   * change. Later identical requests may join it.
   */
  freshRead?: boolean;
}

/** A call to another service made on a request's behalf, as the request's log line reports it. */
export interface UpstreamCallTiming {
  name: string;
  durationMs: number;
  outcome: string;
}

/**
 * Filled in while a request runs, read once when it is answered. One object per request, shared by
 * reference, so that what is written through Apollo Server's shallow copy of the context is seen.
 */
export interface RequestSummary {
  /** The executed operation's name; null when anonymous or refused before it was resolved. */
  operationName: string | null;
  /** Whether the response carried GraphQL errors. */
  hadErrors: boolean;
  upstreamCalls: UpstreamCallTiming[];
  /**
   * The request id of an identical query in flight whose execution this request shared (the
   * gateway's operation deduplication): its subgraph calls are that request's.
   */
  sharedExecutionOf?: string | undefined;
  /**
   * For a query the gateway's response cache may answer: `hit` (answered from it, no subgraph
   * call) or `miss` (executed, and kept when it qualified).
   */
  responseCache?: 'hit' | 'miss';
}

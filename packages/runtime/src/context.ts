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
}

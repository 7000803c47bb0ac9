import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '@microshop/config';
import { REQUEST_ID_HEADER } from '@microshop/runtime';
import type { GatewayFeature } from './feature.ts';

/**
 * CORS for /graphql with an allow-list (`CORS_ORIGINS`; see `config.gateway.cors` for the
 * defaults). An allowed origin gets its own origin echoed back, never `*`, and no credentials
 * header: callers authenticate with a bearer token, not cookies. A disallowed origin gets no CORS
 * header at all, so the browser keeps the response from its page; its preflight is answered 403.
 * The request itself is still served (a same-origin page such as the embedded Sandbox sends an
 * `Origin` too): keeping cross-site pages from causing effects is the job of Apollo Server's CSRF
 * prevention, which stays on.
 */

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** What browser clients send: JSON bodies, a bearer token, Apollo's CSRF headers, a request id. */
const ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollo-client-name',
  'apollo-client-version',
  REQUEST_ID_HEADER,
].join(', ');
/** Browsers cache a preflight this long (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;
const LOCALHOST_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface Cors {
  /**
   * Answers a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) and returns true, or
   * returns false for any other request.
   */
  handlePreflight(req: IncomingMessage, res: ServerResponse): boolean;
  /** Adds the CORS response headers of an actual request (before the response is written). */
  decorate(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Whether a WebSocket upgrade may go ahead. Browsers do not apply CORS to WebSockets: any page
   * may open one to any host, so the gateway itself refuses a browser's upgrade (it sends Origin)
   * unless the origin is allowed or the gateway's own (a page it serves, such as the Sandbox).
   * Clients that are not browsers send no Origin and are let through, as over HTTP.
   */
  allowsUpgrade(req: IncomingMessage): boolean;
}

export function createCors(policy: Config['gateway']['cors']): Cors {
  const origins = new Set(policy.origins);
  const isAllowed = (origin: string | undefined): origin is string => {
    if (origin === undefined) return false;
    if (origins.has(origin)) return true;
    if (!policy.allowLocalhost || !URL.canParse(origin)) return false;
    const url = new URL(origin);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && LOCALHOST_NAMES.has(url.hostname)
    );
  };

  return {
    handlePreflight(req, res) {
      if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined)
        return false;
      // The answer depends on Origin: shared caches must not hand one origin's answer to another.
      res.setHeader('vary', 'Origin');
      const origin = req.headers.origin;
      if (!isAllowed(origin)) {
        res.writeHead(403).end();
        return true;
      }
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      });
      res.end();
      return true;
    },
    allowsUpgrade(req) {
      const origin = req.headers.origin;
      if (origin === undefined || isAllowed(origin)) return true;
      return URL.canParse(origin) && new URL(origin).host === req.headers.host;
    },
    decorate(req, res) {
      res.setHeader('vary', 'Origin');
      const origin = req.headers.origin;
      if (!isAllowed(origin)) return;
      res.setHeader('access-control-allow-origin', origin);
      // Lets a browser client read the id to quote in a bug report.
      res.setHeader('access-control-expose-headers', REQUEST_ID_HEADER);
    },
  };
}

/** CORS on /graphql (preflights answered here) and the origin check of graphql-ws upgrades. */
export function corsFeature(policy: Config['gateway']['cors']): GatewayFeature {
  const cors = createCors(policy);
  return {
    name: 'cors',
    async onGraphQLRequest({ req, res }, next) {
      if (cors.handlePreflight(req, res)) return;
      cors.decorate(req, res);
      await next();
    },
    allowsUpgrade: (req) => cors.allowsUpgrade(req),
  };
}

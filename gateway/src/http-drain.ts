import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Graceful shutdown of the gateway's HTTP server, which serves every request through `handle`.
 * `begin()` stops accepting connections, closes
 * the idle keep-alive ones and marks every response not yet written `Connection: close`, so no
 * client sends another request on a connection about to end; `finish()` waits until the last
 * connection has ended, and at `timeoutMs` after `begin()` cuts whatever is left.
 */
export interface HttpDrain {
  /** Whether shutdown has begun (readiness answers 503 from then on). */
  readonly draining: boolean;
  begin(): void;
  finish(): Promise<void>;
}

export function createHttpDrain(
  server: Server,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  timeoutMs: number,
): HttpDrain {
  // Requests whose handler has not returned yet, i.e. whose response may still be unwritten.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  let deadline = 0;
  let closed: Promise<void> = Promise.resolve();

  const begin = () => {
    if (draining) return;
    draining = true;
    deadline = performance.now() + timeoutMs;
    // Called back with an error when the server was not listening: nothing to wait for then.
    closed = new Promise((resolve) => server.close(() => resolve()));
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    server.closeIdleConnections();
  };

  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('connection', 'close');
    inFlight.add(res);
    try {
      await handle(req, res);
    } finally {
      inFlight.delete(res);
    }
  });

  return {
    get draining() {
      return draining;
    },
    begin,
    async finish() {
      begin();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
      });
      await Promise.race([closed, timedOut]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}

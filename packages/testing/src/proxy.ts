import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

/** A round-robin proxy listening on one port in front of several instances of one service. */
export interface RoundRobinProxy {
  port: number;
  /** `http://127.0.0.1:<port>`; append the service's path (`/graphql`). */
  origin: string;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The local stand-in for a load balancer (a Kubernetes Service, an nginx upstream): HTTP and
 * WebSocket upgrades (graphql-ws) to `targets` (origins such as `http://127.0.0.1:4101`) in
 * turn, by http-proxy-3. A connection an instance refuses (it is down) is tried on the next
 * one, as a load balancer's passive health check does: nothing reached the dead instance, so
 * even a mutation is safe to send again. A request cut off inside an instance is not retried
 * (502): only the client, with its idempotency key, may send that again.
 */
export async function startRoundRobinProxy(
  targets: readonly string[],
  port = 0,
): Promise<RoundRobinProxy> {
  // A connection per request to the instances: no idle keep-alive socket that an instance closes
  // just as the proxy reuses it (a spurious ECONNRESET of a request that never arrived).
  const proxy = createProxyServer({ xfwd: true });
  let turn = 0;
  const nextTarget = () => targets[turn++ % targets.length]!;
  const server = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      const attempt = (triesLeft: number) =>
        proxy.web(
          request,
          response,
          { target: nextTarget(), buffer: Readable.from([body]) },
          (error: NodeJS.ErrnoException) => {
            if (error.code === 'ECONNREFUSED' && triesLeft > 1 && !response.headersSent) {
              attempt(triesLeft - 1);
            } else if (!response.headersSent) {
              response.writeHead(502).end();
            } else {
              response.destroy();
            }
          },
        );
      attempt(targets.length);
    });
  });
  server.on('upgrade', (request, socket, head) => {
    proxy.ws(request, socket, head, { target: nextTarget() }, () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: listening } = server.address() as AddressInfo;
  return {
    port: listening,
    origin: `http://127.0.0.1:${listening}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      proxy.close();
    },
  };
}

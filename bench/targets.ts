import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import type { SubgraphName } from '@microshop/config';

/** A server under load: where to send requests and how to stop it. */
export interface RunningTarget {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server, path: string, port: number): Promise<RunningTarget> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** (a) The ceiling: node:http answering every request with a fixed body, after reading the request. */
export function startBareServer(body: string, port = 0): Promise<RunningTarget> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    });
  });
  return listen(server, '/graphql', port);
}

/** The checked-in supergraph with each subgraph's URL replaced by where it runs now. */
export function supergraphAt(sdl: string, urls: Record<SubgraphName, string>): string {
  return sdl.replace(/@join__graph\(name: "([a-z]+)", url: "[^"]*"\)/g, (match, name: string) =>
    name in urls ? `@join__graph(name: "${name}", url: "${urls[name as SubgraphName]}")` : match,
  );
}

interface ForwardedAuthorization {
  authorization?: string;
}

/**
 * (c) Stock @apollo/gateway under @apollo/server's standalone server, configured as Apollo's
 * federation docs show: a static supergraph and a RemoteGraphQLDataSource that forwards the
 * client's Authorization header.
 */
export async function startApolloGateway(supergraphSdl: string, port = 0): Promise<RunningTarget> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<ForwardedAuthorization>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization)
            request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  const server = new ApolloServer<ForwardedAuthorization>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async ({ req }: { req: IncomingMessage }) => ({
      authorization: req.headers.authorization,
    }),
  });
  return { url, close: () => server.stop() };
}

/** (d) Hive Gateway's runtime over the same supergraph, on node:http, forwarding Authorization. */
export function startHiveGateway(supergraph: string, port = 0): Promise<RunningTarget> {
  const gateway = createGatewayRuntime({
    supergraph,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
      }),
    },
  });
  const server = createServer(gateway);
  return listen(server, '/graphql', port).then((target) => ({
    url: target.url,
    async close() {
      await target.close();
      await gateway.dispose();
    },
  }));
}

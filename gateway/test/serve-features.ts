import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, sendJson } from '@microshop/runtime';
import { httpHandler } from '../src/compose.ts';
import type { GatewayFeature, GraphQLHttpExchange } from '../src/feature.ts';

/**
 * Features' HTTP hooks on a real node:http server, through the gateway's own `httpHandler`, with
 * Apollo Server replaced by an answer that shows what reached it: the context the features built.
 */
export interface ServedFeatures {
  /** The server's /graphql URL. */
  url: string;
  /** Every exchange that got past the features, in order. */
  reached: GraphQLHttpExchange[];
  close(): Promise<void>;
}

export async function serveFeatures(features: readonly GatewayFeature[]): Promise<ServedFeatures> {
  const reached: GraphQLHttpExchange[] = [];
  const handle = httpHandler(
    features,
    async (exchange) => {
      reached.push(exchange);
      const { principal, authorization } = exchange.context;
      sendJson(exchange.res, 200, { data: { principal: principal ?? null, authorization } });
    },
    createLogger('gateway', { logLevel: 'silent' }),
  );
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    reached,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

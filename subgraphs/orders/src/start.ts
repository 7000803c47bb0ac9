import { createTokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import { createPrismaClient, databaseUrlOf, type Db } from '@microshop/db';
import { createEventBus, startOutboxRelay } from '@microshop/events';
import {
  openInOrder,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@microshop/runtime';
import { createOrdersApp } from './app.ts';
import { outboxSource } from './events.ts';
import { createShopUpstream } from './upstream.ts';

/** The orders database client; the embedded database is started by `npm start`, not here. */
export function connectOrdersDatabase(config: Config): Db {
  return createPrismaClient(databaseUrlOf(config, 'orders'), {
    maxConnections: config.databasePoolSize,
  });
}

/**
 * The orders API process: the subgraph server and the outbox relay of 'orders'. The relay lives
 * here, beside placeOrder (the busiest writer), rather than in the worker; it also publishes the
 * worker's rows, promptly (the worker's commits NOTIFY it). Several instances share the outbox
 * safely. The saga worker is a separate process (worker.ts).
 */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  const { value: server, close } = await openInOrder(async (onClose) => {
    const db = connectOrdersDatabase(config);
    onClose(() => db.$disconnect());
    const bus = await createEventBus(config, { db, logger });
    onClose(() => bus.close());
    const relay = await startOutboxRelay({ db, bus, source: outboxSource, logger });
    onClose(() => relay.close());
    const server = await startSubgraphServer(
      createOrdersApp({
        db,
        verifier: createTokenVerifier(config.jwt),
        logger,
        upstream: createShopUpstream({
          cart: config.subgraphUrls.cart,
          catalog: config.subgraphUrls.catalog,
          users: config.subgraphUrls.users,
        }),
        checkout: config.checkout,
        showInternalErrors: !config.isProduction,
      }),
      { port: config.ports.orders, host: config.host },
    );
    onClose(() => server.close());
    return server;
  });
  return { url: server.url, port: server.port, close };
}

import { createTokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import { createPrismaClient } from '@microshop/db';
import { createEventBus, startEventConsumer } from '@microshop/events';
import { startSubgraphServer, type Logger, type RunningServer } from '@microshop/runtime';
import { createCartApp } from './app.ts';
import { createCartStore } from './cart-store.ts';
import { createCatalogClient } from './catalog-client.ts';
import {
  CART_CONSUMER_GROUP,
  CART_CONSUMER_RETRY,
  createOrderEventHandler,
} from './order-events.ts';

/**
 * The cart process: the cart store (Redis, or PostgreSQL in the embedded default), the consumer
 * that empties carts on OrderPlaced, and the subgraph server. `close()` closes all of it.
 */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  if (config.database.kind !== 'postgres') {
    throw new Error(
      'cart needs a PostgreSQL database: run `npm start` (which starts the embedded one and ' +
        'passes its URL) or set DATABASE_URL',
    );
  }
  // The database is needed with Redis too: the event consumer records handled events in it.
  const db = createPrismaClient(config.database.url);
  const closers: (() => Promise<void>)[] = [() => db.$disconnect()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const store = await createCartStore(config, {
      db,
      logger: logger.child({ component: 'cart-store' }),
    });
    closers.push(() => store.close());

    const bus = await createEventBus(config, { db, logger });
    closers.push(() => bus.close());
    const handleOrderEvent = createOrderEventHandler(store);
    const consumer = await startEventConsumer({
      bus,
      db,
      logger,
      group: CART_CONSUMER_GROUP,
      topics: ['orders'],
      handle: (_tx, event, context) => handleOrderEvent(event, context),
      // A Redis outage fails every attempt: keep retrying for minutes before dead-lettering an
      // order (only this consumer group waits meanwhile).
      retry: CART_CONSUMER_RETRY,
    });
    closers.push(() => consumer.close());

    const server = await startSubgraphServer(
      createCartApp({
        store,
        catalog: createCatalogClient({ url: config.subgraphUrls.catalog }),
        verifier: createTokenVerifier(config.jwt),
        logger,
        showInternalErrors: !config.isProduction,
      }),
      { port: config.ports.cart, host: config.host },
    );
    closers.push(() => server.close());
    return { url: server.url, port: server.port, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

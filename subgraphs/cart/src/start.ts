import { createTokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import { createPrismaClient, databaseUrlOf } from '@microshop/db';
import { createEventBus, startEventConsumer } from '@microshop/events';
import {
  openInOrder,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@microshop/runtime';
import { createCartApp } from './app.ts';
import { createCartStore } from './cart-store.ts';
import { createCatalogClient } from './catalog-client.ts';
import { consumers } from './events.ts';
import { CartSaga } from './order-events.ts';

/**
 * The cart process: the cart store (Redis, or PostgreSQL in the embedded default), the consumer
 * that empties carts on OrderPlaced, and the subgraph server. `close()` closes all of it.
 */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  // The database is needed with Redis too: the event consumer records handled events in it.
  const databaseUrl = databaseUrlOf(config, 'cart');
  const { value: server, close } = await openInOrder(async (onClose) => {
    const db = createPrismaClient(databaseUrl, { maxConnections: config.databasePoolSize });
    onClose(() => db.$disconnect());
    const store = await createCartStore(config, {
      db,
      logger: logger.child({ component: 'cart-store' }),
    });
    onClose(() => store.close());

    const bus = await createEventBus(config, { db, logger });
    onClose(() => bus.close());
    for (const consumer of consumers({ orders: new CartSaga(store).handleOrderEvent })) {
      const subscription = await startEventConsumer({ bus, db, logger, ...consumer });
      onClose(() => subscription.close());
    }

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
    onClose(() => server.close());
    return server;
  });
  return { url: server.url, port: server.port, close };
}

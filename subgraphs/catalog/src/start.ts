import { createTokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import { createPrismaClient, databaseUrlOf } from '@microshop/db';
import { createEventBus, startEventConsumer, startOutboxRelay } from '@microshop/events';
import {
  openInOrder,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@microshop/runtime';
import { createSearchIndex } from '@microshop/search';
import { createCatalogApp } from './app.ts';
import { consumers, outboxSource } from './events.ts';
import { ProductRepository } from './product.repository.ts';
import { SearchService } from './search.service.ts';
import { StockService } from './stock.service.ts';

/**
 * The catalog process: subgraph server, the stock consumer of the order saga, the search-sync
 * consumer (ProductChanged -> index) and the outbox relay of 'catalog'.
 */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  const databaseUrl = databaseUrlOf(config, 'catalog');
  const { value: server, close } = await openInOrder(async (onClose) => {
    const db = createPrismaClient(databaseUrl, { maxConnections: config.databasePoolSize });
    onClose(() => db.$disconnect());
    const searchIndex = await createSearchIndex(config, {
      db,
      logger: logger.child({ component: 'search' }),
    });
    onClose(() => searchIndex.close());
    const search = new SearchService(searchIndex, logger.child({ component: 'search-sync' }));
    // A new index (first start, or a switch of engine) is filled from the tables at once.
    if (await searchIndex.ensureIndex()) await search.reindex(db);

    const bus = await createEventBus(config, { db, logger });
    onClose(() => bus.close());
    const relay = await startOutboxRelay({ db, bus, source: outboxSource, logger });
    onClose(() => relay.close());
    const stock = new StockService(new ProductRepository(db), logger.child({ component: 'stock' }));
    for (const consumer of consumers({
      stock: stock.handleOrderEvent,
      searchSync: search.handleCatalogEvent,
    })) {
      const subscription = await startEventConsumer({ bus, db, logger, ...consumer });
      onClose(() => subscription.close());
    }

    const server = await startSubgraphServer(
      createCatalogApp({
        db,
        searchIndex,
        verifier: createTokenVerifier(config.jwt),
        logger,
        showInternalErrors: !config.isProduction,
        productRowCacheEntries: config.productRowCacheEntries,
      }),
      { port: config.ports.catalog, host: config.host },
    );
    onClose(() => server.close());
    return server;
  });
  return { url: server.url, port: server.port, close };
}

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
import { SearchService } from './search.service.ts';
import { CATALOG_SOURCE, StockService } from './stock.service.ts';

/** Consumer groups of the catalog process (the bus prefixes the namespace). */
export const STOCK_CONSUMER_GROUP = 'catalog-stock';
export const SEARCH_SYNC_CONSUMER_GROUP = 'catalog-search-sync';

/**
 * The catalog process: subgraph server, the stock consumer of the order saga, the search-sync
 * consumer (ProductChanged -> index) and the outbox relay of 'catalog'.
 */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  const databaseUrl = databaseUrlOf(config, 'catalog');
  const { value: server, close } = await openInOrder(async (onClose) => {
    const db = createPrismaClient(databaseUrl);
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
    const relay = await startOutboxRelay({ db, bus, source: CATALOG_SOURCE, logger });
    onClose(() => relay.close());

    const stock = new StockService(logger.child({ component: 'stock' }));
    const stockConsumer = await startEventConsumer({
      bus,
      db,
      logger,
      group: STOCK_CONSUMER_GROUP,
      topics: ['orders'],
      handle: (tx, event) => stock.handleOrderEvent(tx, event),
    });
    onClose(() => stockConsumer.close());

    const searchSync = await startEventConsumer({
      bus,
      db,
      logger,
      group: SEARCH_SYNC_CONSUMER_GROUP,
      topics: ['catalog'],
      handle: (tx, event) => search.handleCatalogEvent(tx, event),
    });
    onClose(() => searchSync.close());

    const server = await startSubgraphServer(
      createCatalogApp({
        db,
        searchIndex,
        verifier: createTokenVerifier(config.jwt),
        logger,
        showInternalErrors: !config.isProduction,
      }),
      { port: config.ports.catalog, host: config.host },
    );
    onClose(() => server.close());
    return server;
  });
  return { url: server.url, port: server.port, close };
}

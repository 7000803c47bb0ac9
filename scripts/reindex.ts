import { loadConfigOrExit } from '@microshop/config';
import { createPrismaClient, startEmbeddedPostgres } from '@microshop/db';
import { createLogger } from '@microshop/runtime';
import { createSearchIndex } from '@microshop/search';
import { SearchService } from '../subgraphs/catalog/src/search.service.ts';

/**
 * `npm run reindex`: rebuilds the product search index of the configured engine into a new
 * versioned index and swaps the alias; searches keep answering from the old one until the swap.
 */
const config = loadConfigOrExit();
const logger = createLogger('reindex', config);
const embedded =
  config.database.kind === 'embedded'
    ? await startEmbeddedPostgres({ port: config.database.port, dataDir: config.database.dataDir })
    : undefined;
const url = config.database.kind === 'postgres' ? config.database.url : embedded!.url;
const db = createPrismaClient(url);
try {
  const index = await createSearchIndex(config, { db, logger });
  try {
    const started = performance.now();
    const result = await new SearchService(index, logger).reindex(db);
    logger.info(
      {
        ...result,
        engine: index.engine,
        seconds: ((performance.now() - started) / 1000).toFixed(1),
      },
      'reindex done',
    );
  } finally {
    await index.close();
  }
} finally {
  await db.$disconnect();
  await embedded?.stop();
}

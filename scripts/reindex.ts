import { fileURLToPath } from 'node:url';
import { reindex } from '@microshop/catalog';
import { loadConfigOrExit, type Config } from '@microshop/config';
import { createPrismaClient, withConfiguredDatabase, type Db } from '@microshop/db';
import { createLogger, type Logger } from '@microshop/runtime';
import { createSearchIndex } from '@microshop/search';

/**
 * `npm run reindex`: rebuilds the product search index of the configured engine into a new
 * versioned index and swaps the alias; searches keep answering from the old one until the swap.
 */
export async function reindexProducts(config: Config, db: Db, logger: Logger): Promise<void> {
  const index = await createSearchIndex(config, { db, logger });
  try {
    const started = performance.now();
    const result = await reindex(index, db, logger);
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
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const config = loadConfigOrExit();
  const logger = createLogger('reindex', config);
  await withConfiguredDatabase(config.database, async (url) => {
    const db = createPrismaClient(url);
    try {
      await reindexProducts(config, db, logger);
    } finally {
      await db.$disconnect();
    }
  });
}

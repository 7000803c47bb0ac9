import { parseArgs } from 'node:util';
import { seedGeneratedCatalog } from '@microshop/catalog';
import { loadConfigOrExit } from '@microshop/config';
import { createPrismaClient, withConfiguredDatabase } from '@microshop/db';
import { createLogger } from '@microshop/runtime';
import { reindexProducts } from './reindex.ts';

/**
 * `npm run seed -- --products 100000`: a large generated catalog for benchmarks, inserted in
 * multi-row batches, then a reindex so search sees it. Runs against DATABASE_URL, or the embedded
 * database of `npm start` (migrated by it or by `npm run db:migrate`).
 */
const { values } = parseArgs({ options: { products: { type: 'string', default: '1000' } } });
const count = Number(values.products);
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: npm run seed -- --products <positive integer>\n');
  process.exit(64);
}

const config = loadConfigOrExit();
const logger = createLogger('seed', config);
await withConfiguredDatabase(config.database, async (url) => {
  const db = createPrismaClient(url);
  try {
    const started = performance.now();
    const { created } = await seedGeneratedCatalog(db, count, {
      onProgress: (done) => logger.debug({ done }, 'inserted'),
    });
    const inserted = performance.now();
    logger.info(
      { requested: count, created, seconds: ((inserted - started) / 1000).toFixed(1) },
      'products inserted',
    );

    await reindexProducts(config, db, logger);
  } finally {
    await db.$disconnect();
  }
});

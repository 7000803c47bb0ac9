import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@microshop/config';
import { createPrismaClient, startEmbeddedPostgres } from '@microshop/db';
import { createLogger } from '@microshop/runtime';
import { createSearchIndex } from '@microshop/search';
import { seedGeneratedCatalog } from '../subgraphs/catalog/src/seed.ts';
import { SearchService } from '../subgraphs/catalog/src/search.service.ts';

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
const embedded =
  config.database.kind === 'embedded'
    ? await startEmbeddedPostgres({ port: config.database.port, dataDir: config.database.dataDir })
    : undefined;
const url = config.database.kind === 'postgres' ? config.database.url : embedded!.url;
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

  const index = await createSearchIndex(config, { db, logger });
  try {
    const result = await new SearchService(index, logger).reindex(db);
    logger.info(
      {
        ...result,
        engine: index.engine,
        seconds: ((performance.now() - inserted) / 1000).toFixed(1),
      },
      'reindexed',
    );
  } finally {
    await index.close();
  }
} finally {
  await db.$disconnect();
  await embedded?.stop();
}

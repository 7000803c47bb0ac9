import { parseArgs } from 'node:util';
import { createTestAuthority } from '@microshop/auth';
import { loadConfigOrExit, type SearchBackend } from '@microshop/config';
import { applyMigrations, createPrismaClient, type Db } from '@microshop/db';
import { createLogger, startSubgraphServer } from '@microshop/runtime';
import { createSearchIndex } from '@microshop/search';
import { createCatalogApp } from '../subgraphs/catalog/src/app.ts';
import { seedGeneratedCatalog } from '../subgraphs/catalog/src/seed.ts';
import { SearchService } from '../subgraphs/catalog/src/search.service.ts';

/**
 * Search latency on a large catalog, PostgreSQL full text vs Elasticsearch/OpenSearch, side by
 * side: `npx tsx bench/search.ts [--products 100000] [--requests 600]
 * [--concurrency 4]`. Needs DATABASE_URL (the catalog goes to its own `bench_search` schema) and
 * ELASTICSEARCH_URL (+ SEARCH_ENGINE). Each engine is measured through the catalog subgraph's
 * HTTP endpoint (searchProducts with facets and 20 products per page), run in this process.
 */

const { values } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '600' },
    concurrency: { type: 'string', default: '4' },
  },
});
const productCount = Number(values.products);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

const config = loadConfigOrExit();
const logger = createLogger('bench-search', { logLevel: 'warn' });
if (config.database.kind !== 'postgres')
  throw new Error('set DATABASE_URL: the benchmark needs a real PostgreSQL');
if (config.search.kind === 'postgres')
  throw new Error('set ELASTICSEARCH_URL: the benchmark compares both engines');

const url = new URL(config.database.url);
url.searchParams.set('schema', 'bench_search');
await applyMigrations(url.toString());
const db = createPrismaClient(url.toString(), { maxConnections: 20 });

/** What shoppers type: whole words, prefixes while typing, typos, two-word queries, with and without filters. */
const QUERIES: Array<{ query: string; filter?: Record<string, unknown> }> = [
  { query: 'headphones' },
  { query: 'head' },
  { query: 'hedphones' },
  { query: 'bamboo lamp' },
  { query: 'steel knife', filter: { inStockOnly: true } },
  { query: 'backpack', filter: { categorySlug: 'outdoor' } },
  { query: 'wireless speaker', filter: { maxPrice: 10000 } },
  { query: 'ceramic vase' },
  { query: 'yoga' },
  { query: 'puzzl' },
  { query: 'premium leather', filter: { minPrice: 5000, maxPrice: 50000 } },
  { query: 'kettle' },
];
const SEARCH = `query($q: String!, $filter: ProductFilter) { searchProducts(query: $q, first: 20, filter: $filter) {
  totalCount edges { node { id name price { amount currency } stock } } facets { name values { value count } } } }`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(search: SearchBackend): Promise<Record<string, number | string>> {
  const index = await createSearchIndex({ search, namespace: 'bench-' }, { db, logger });
  const reindexStart = performance.now();
  const { documents } = await new SearchService(index, logger).reindex(db);
  const reindexSeconds = (performance.now() - reindexStart) / 1000;
  const authority = await createTestAuthority();
  const server = await startSubgraphServer(
    createCatalogApp({
      db,
      searchIndex: index,
      verifier: authority.verifier,
      logger,
      showInternalErrors: false,
    }),
    { port: 0, host: '127.0.0.1' },
  );
  const call = async (n: number) => {
    const { query, filter } = QUERIES[n % QUERIES.length]!;
    const started = performance.now();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SEARCH, variables: { q: query, filter } }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`search failed: ${JSON.stringify(body.errors)}`);
    return performance.now() - started;
  };
  try {
    for (let n = 0; n < QUERIES.length * 2; n += 1) await call(n); // warm-up: caches, JIT, connections
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) latencies.push(await call(next++));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      engine: index.engine,
      documents,
      'reindex s': reindexSeconds.toFixed(1),
      'p50 ms': percentile(latencies, 50).toFixed(1),
      'p95 ms': percentile(latencies, 95).toFixed(1),
      'p99 ms': percentile(latencies, 99).toFixed(1),
      'req/s': (latencies.length / seconds).toFixed(0),
    };
  } finally {
    await server.close();
    await index.drop();
    await index.close();
  }
}

async function ensureCatalog(database: Db): Promise<void> {
  const existing = await database.product.count({ where: { sku: { startsWith: 'GEN-' } } });
  if (existing >= productCount) return;
  const started = performance.now();
  const { created } = await seedGeneratedCatalog(database, productCount);
  process.stdout.write(
    `seeded ${created} products in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

try {
  await ensureCatalog(db);
  const rows: Array<Record<string, number | string>> = [];
  for (const search of [{ kind: 'postgres' } as const, config.search]) {
    rows.push(await measure(search));
    process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
  }
  process.stdout.write(
    `\nsearchProducts, ${productCount} products, ${requests} requests, concurrency ${concurrency}, direct to the catalog subgraph\n`,
  );
  const columns = Object.keys(rows[0]!);
  process.stdout.write(
    [
      `| ${columns.join(' | ')} |`,
      `|${columns.map(() => '---').join('|')}|`,
      ...rows.map((row) => `| ${columns.map((column) => row[column]).join(' | ')} |`),
    ].join('\n') + '\n',
  );
} finally {
  await db.$disconnect();
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateSigningKey } from '@microshop/auth';
import { reindex, seedGeneratedCatalog, start as startCatalog } from '@microshop/catalog';
import { loadConfig, loadConfigOrExit, type Config, type SearchBackend } from '@microshop/config';
import { applyMigrations, createPrismaClient, type Db } from '@microshop/db';
import { createLogger, type Logger, type RunningServer } from '@microshop/runtime';
import { startGateway } from '@microshop/gateway';
import { createSearchIndex } from '@microshop/search';
import { start as startUsers } from '@microshop/users';

/**
 * Search latency on a large catalog through the MicroShop gateway, PostgreSQL full text vs
 * Elasticsearch/OpenSearch, side by side:
 *
 *   npm run bench -- search [--products 100000] [--requests 300] [--concurrency 4] [--warmup 24]
 *   (or `npx tsx bench/search.ts ...`)
 *
 * Needs DATABASE_URL (the catalog goes to its own `bench_search` schema, seeded once and kept for
 * later runs) and ELASTICSEARCH_URL (+ SEARCH_ENGINE). For each engine, in this process: the
 * index is rebuilt from the tables (timed), then the users subgraph (JWKS), the catalog subgraph and
 * the gateway are started through the same `start(config, logger)` their own processes run, and
 * searchProducts (facets, 20 products per page) is sent to the gateway's /graphql. The timed part
 * holds `flock <--lock>` so that two benchmarks on one machine do not overlap. Writes
 * bench/results/search-<date>.json and prints a markdown table.
 */

const OPTIONS = {
  products: { type: 'string', default: '100000' },
  requests: { type: 'string', default: '300' },
  concurrency: { type: 'string', default: '4' },
  warmup: { type: 'string', default: '24' },
  lock: { type: 'string', default: '/tmp/microshop-bench.lock' },
} as const;

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

const ENGINE_LABELS: Record<SearchBackend['kind'], string> = {
  postgres: 'PostgreSQL full text',
  elasticsearch: 'Elasticsearch',
  opensearch: 'OpenSearch',
};

interface Settings {
  products: number;
  requests: number;
  concurrency: number;
  warmup: number;
  lock: string;
}

interface Row {
  engine: string;
  documents: number;
  'reindex s': number;
  'p50 ms': number;
  'p95 ms': number;
  'p99 ms': number;
  'req/s': number;
  /** 1-minute load average sampled every second of the timed part: min–max. */
  'load 1m': string;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs `fn` while holding `flock(1)` on `path` (a child `flock` process keeps the lock until its
 * stdin closes). Without `flock` on the machine, or with an empty path, runs unlocked.
 */
async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  if (!path) return fn();
  const holder = spawn('flock', [path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const acquired = await Promise.race([
    once(holder.stdout, 'data').then(() => true),
    once(holder, 'error').then(([error]) => {
      log(`warning: running without the benchmark lock (${(error as Error).message})`);
      return false;
    }),
    once(holder, 'exit').then(() => false),
  ]);
  try {
    return await fn();
  } finally {
    if (acquired) {
      holder.stdin.end();
      if (holder.exitCode === null) await once(holder, 'exit');
    }
  }
}

/** Every subgraph URL and the JWKS URL pointed at the servers started so far. */
function withUrls(
  config: Config,
  started: { users?: RunningServer; catalog?: RunningServer },
): Config {
  const subgraphUrls = { ...config.subgraphUrls };
  if (started.users) subgraphUrls.users = started.users.url;
  if (started.catalog) subgraphUrls.catalog = started.catalog.url;
  const jwksUrl = started.users
    ? new URL('/.well-known/jwks.json', started.users.url).toString()
    : config.jwt.jwksUrl;
  return { ...config, subgraphUrls, jwt: { ...config.jwt, jwksUrl } };
}

/** Removes the Kafka topics and consumer groups of a namespace (the catalog and gateway create them). */
async function dropKafkaNamespace(config: Config, logger: Logger): Promise<void> {
  if (config.eventBus.kind !== 'kafka' || !config.namespace) return;
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({
    clientId: 'bench-search-cleanup',
    brokers: config.eventBus.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(config.namespace));
    const { groups } = await admin.listGroups();
    const groupIds = groups
      .map((group) => group.groupId)
      .filter((id) => id.startsWith(config.namespace));
    if (groupIds.length) await admin.deleteGroups(groupIds).catch(() => undefined);
    if (topics.length) await admin.deleteTopics({ topics });
  } catch (error) {
    logger.warn({ err: error, namespace: config.namespace }, 'kafka cleanup failed');
  } finally {
    await admin.disconnect();
  }
}

async function ensureCatalog(db: Db, productCount: number): Promise<void> {
  const existing = await db.product.count({ where: { sku: { startsWith: 'GEN-' } } });
  if (existing >= productCount) {
    log(`bench_search already holds ${existing} generated products`);
    return;
  }
  log(`seeding ${productCount} products into bench_search...`);
  const started = performance.now();
  const { created } = await seedGeneratedCatalog(db, productCount);
  log(`seeded ${created} products in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function measureEngine(
  search: SearchBackend,
  databaseUrl: string,
  db: Db,
  settings: Settings,
  logger: Logger,
): Promise<Row> {
  const { privateJwk } = await generateSigningKey();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    NAMESPACE: `bench${search.kind === 'postgres' ? 'pg' : 'es'}${randomBytes(4).toString('hex')}-`,
    HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    USERS_PORT: '0',
    CATALOG_PORT: '0',
    JWT_PRIVATE_KEY: JSON.stringify(privateJwk),
    ELASTICSEARCH_URL: search.kind === 'postgres' ? '' : search.url,
    SEARCH_ENGINE: search.kind === 'postgres' ? process.env.SEARCH_ENGINE : search.kind,
  });
  const label = ENGINE_LABELS[config.search.kind];

  // Built here, timed, under the namespace the catalog then opens: its ensureIndex() finds it.
  const index = await createSearchIndex(config, { db, logger });
  const running: RunningServer[] = [];
  try {
    log(`${label}: rebuilding the index (${config.namespace}products)...`);
    const reindexStart = performance.now();
    const { documents } = await reindex(index, db, logger);
    const reindexSeconds = (performance.now() - reindexStart) / 1000;
    await index.refresh();

    const users = await startUsers(config, createLogger('users', config));
    running.push(users);
    const catalog = await startCatalog(
      withUrls(config, { users }),
      createLogger('catalog', config),
    );
    running.push(catalog);
    const gateway = await startGateway(
      withUrls(config, { users, catalog }),
      createLogger('gateway', config),
    );
    running.push(gateway);
    log(`${label}: gateway ${gateway.url} -> catalog ${catalog.url}`);

    const call = async (n: number) => {
      const { query, filter } = QUERIES[n % QUERIES.length]!;
      const started = performance.now();
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: SEARCH, variables: { q: query, filter } }),
      });
      const body = (await response.json()) as {
        data?: { searchProducts?: { totalCount: number } };
        errors?: unknown[];
      };
      if (response.status !== 200 || body.errors || !body.data?.searchProducts) {
        throw new Error(`search failed (HTTP ${response.status}): ${JSON.stringify(body)}`);
      }
      return { ms: performance.now() - started, totalCount: body.data.searchProducts.totalCount };
    };

    const { totalCount } = await call(0);
    if (totalCount === 0) throw new Error(`${label}: "${QUERIES[0]!.query}" found nothing`);
    for (let n = 0; n < settings.warmup; n += 1) await call(n); // caches, JIT, pooled connections

    return await withLock(settings.lock, async () => {
      const loads: number[] = [];
      const sampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 1000);
      loads.push(loadavg()[0] ?? 0);
      const latencies: number[] = [];
      let next = 0;
      const started = performance.now();
      try {
        await Promise.all(
          Array.from({ length: settings.concurrency }, async () => {
            while (next < settings.requests) latencies.push((await call(next++)).ms);
          }),
        );
      } finally {
        clearInterval(sampler);
      }
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const row: Row = {
        engine: label,
        documents,
        'reindex s': round(reindexSeconds),
        'p50 ms': round(percentile(latencies, 50)),
        'p95 ms': round(percentile(latencies, 95)),
        'p99 ms': round(percentile(latencies, 99)),
        'req/s': round(latencies.length / seconds),
        'load 1m': `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
      };
      log(JSON.stringify(row));
      return row;
    });
  } finally {
    for (const server of running.reverse()) await server.close().catch(() => undefined);
    await index.drop();
    await index.close();
    await dropKafkaNamespace(config, logger);
  }
}

function markdown(rows: Row[], settings: Settings, machine: string): string {
  const columns = Object.keys(rows[0]!) as Array<keyof Row>;
  const numeric = (column: keyof Row) => column !== 'engine' && column !== 'load 1m';
  return [
    `searchProducts (facets, 20 per page) through the MicroShop gateway, ${settings.products} products, ` +
      `${settings.requests} requests at concurrency ${settings.concurrency} after ${settings.warmup} warm-up requests. ${machine}`,
    '',
    `| ${columns.join(' | ')} |`,
    `| ${columns.map((column) => (numeric(column) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map((column) => row[column]).join(' | ')} |`),
  ].join('\n');
}

export async function runSearchBench(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: OPTIONS });
  const settings: Settings = {
    products: Number(values.products),
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
    warmup: Number(values.warmup),
    lock: values.lock,
  };

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
  const loadBefore = loadavg()[0] ?? 0;
  try {
    await ensureCatalog(db, settings.products);
    const rows: Row[] = [];
    for (const search of [{ kind: 'postgres' } as const, config.search]) {
      rows.push(await measureEngine(search, url.toString(), db, settings, logger));
    }
    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      os: `${osType()} ${release()}`,
      node: process.version,
      loadAverage1mBefore: round(loadBefore),
      loadAverage1mAfter: round(loadavg()[0] ?? 0),
    };
    const date = new Date().toISOString();
    const report = {
      date,
      machine,
      settings: {
        ...settings,
        topology:
          'one process: users + catalog subgraphs, MicroShop gateway and the client on the main thread; PostgreSQL, Redis, Kafka and OpenSearch local',
        path: 'client -> gateway /graphql -> catalog subgraph -> search engine',
      },
      query: SEARCH,
      searches: QUERIES,
      results: rows,
    };
    const resultsDir = new URL('./results/', import.meta.url);
    mkdirSync(resultsDir, { recursive: true });
    const file = `search-${date.slice(0, 10)}.json`;
    writeFileSync(new URL(file, resultsDir), `${JSON.stringify(report, null, 2)}\n`);
    const summary =
      `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ` +
      `1-minute load ${machine.loadAverage1mBefore} before, ${machine.loadAverage1mAfter} after.`;
    process.stdout.write(`${markdown(rows, settings, summary)}\n`);
    log(`written to bench/results/${file}`);
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSearchBench(process.argv.slice(2));
}

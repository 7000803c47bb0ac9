import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import {
  availableParallelism,
  cpus,
  loadavg,
  release,
  tmpdir,
  totalmem,
  type as osType,
} from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { addToCart, graphql, placeOrder, signUpUser } from '@microshop/testing';
import { measure, type LoadResult, type LoadSettings } from './load.ts';
import {
  mixedLoad,
  mixMarkdown,
  mixRatios,
  MIX_TARGET_LABELS,
  type MixResults,
} from './mix-bench.ts';
import { MIXES, MIX_USERS, prepareMix, seedBenchCatalog } from './mix.ts';
import { startProcessStack, PROCESS_SETTINGS } from './process-stack.ts';
import { summariseProfiles } from './profile-summary.ts';
import { QUERIES as ALL_QUERIES, type BenchQuery } from './queries.ts';
import { targetsOver, type Targets } from './target-processes.ts';
import type { RunningTarget } from './targets.ts';

/**
 * `npm run bench`: the subgraphs and the orders worker each in a process of their own (production
 * settings, logs at info), then every target in a process of its own, started and stopped in
 * turn: first the mixed load (many shoppers, every request its own variables; see mix.ts), then
 * the identical-query table (one fixed query per cell, the same token, answers equal to stock
 * Apollo's byte for byte). Targets: (a) a bare node:http server (the ceiling), (b) subgraphs
 * directly, (c) stock @apollo/gateway, (d) Hive Gateway, (e) MicroShop's gateway with its
 * defaults, and MicroShop's gateway with an optimisation off (e0) or as a node:cluster (eN).
 * Needs DATABASE_URL (and whatever other backends the environment names, as for e2e tests).
 * Writes bench/results/<date>.json (`mix`: mix-<date>.json) and prints markdown tables;
 * `--queries` / `--targets` run a subset and `--profile` writes V8 CPU profiles of every process
 * and prints their top frames (both printed, not written).
 */

/** `npm run bench -- mix|search|saga [...]`: the mixed load alone, or bench/search.ts, bench/saga.ts. */
const scenario = process.argv[2]?.startsWith('-') === false ? process.argv[2] : undefined;

const { values: flags } = parseArgs({
  args: scenario && scenario !== 'mix' ? [] : process.argv.slice(scenario ? 3 : 2),
  options: {
    connections: { type: 'string', default: '10' },
    /** Connections of the mixed load: many shoppers at once. */
    'mix-connections': { type: 'string', default: '32' },
    workers: { type: 'string', default: String(availableParallelism()) },
    /** Comma-separated subsets, for a quick look at one comparison (the report says which ran). */
    queries: { type: 'string', default: '' },
    targets: { type: 'string', default: '' },
    profile: { type: 'boolean', default: false },
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '10' },
  },
});
const settings: LoadSettings = {
  connections: Number(flags.connections),
  warmupSeconds: Number(flags.warmup),
  durationSeconds: Number(flags.duration),
};
const mixSettings = { ...settings, connections: Number(flags['mix-connections']) };

const workers = Number(flags.workers);
const subset = (list: string) => list.split(',').filter(Boolean);
const QUERIES = subset(flags.queries).length
  ? ALL_QUERIES.filter((query) => subset(flags.queries).includes(query.name))
  : ALL_QUERIES;
const chosenTargets = subset(flags.targets);
const runs = (key: string) => chosenTargets.length === 0 || chosenTargets.includes(key);
type TargetKey = 'a' | 'b' | 'c' | 'd' | 'e' | 'e0' | 'eN';
const TARGET_LABELS: Record<TargetKey, string> = {
  a: 'node:http, fixed body (ceiling)',
  b: 'catalog subgraph, direct',
  c: '@apollo/gateway + @apollo/server',
  d: 'Hive Gateway',
  e: 'MicroShop gateway (defaults: 1 process, deduplication on)',
  e0: 'MicroShop gateway, SUBGRAPH_DEDUPLICATION=false OPERATION_DEDUPLICATION=false',
  eN: `MicroShop gateway, GATEWAY_WORKERS=${workers}`,
};

type Cell = LoadResult | { skipped: string };
/** The 1-minute load average before the run: other work on the machine skews every figure. */
let loadBefore = 0;
type Results = Record<string, Partial<Record<TargetKey, Cell>>>;

interface Reference {
  /** The response body as stock @apollo/gateway gives it: the fixed body of (a). */
  body: string;
  data: unknown;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function asUser<T>(
  gateway: Gateway,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const response = await graphql<T>(gateway.gatewayUrl, query, variables, token);
  if (response.errors?.length || !response.data) {
    throw new Error(
      `${query.trim().split('\n')[0]}: ${JSON.stringify(response.errors ?? response)}`,
    );
  }
  return response.data;
}

type Gateway = { gatewayUrl: string };

/**
 * A customer with an order behind them (confirmed by the saga, so it no longer changes) and three
 * products in the cart, so the storefront and deep queries have something to resolve.
 */
async function prepareCustomer(gateway: Gateway): Promise<string> {
  const { accessToken } = await signUpUser(gateway, 'Bench Customer');
  const { products } = await asUser<{ products: { edges: { node: { id: string } }[] } }>(
    gateway,
    accessToken,
    '{ products(first: 3, filter: { inStockOnly: true }) { edges { node { id } } } }',
  );
  const fillCart = async () => {
    for (const { node } of products.edges) {
      await addToCart(gateway, accessToken, node.id);
    }
  };
  await fillCart();
  const orderId = await placeOrder(gateway, accessToken);
  const settled = await waitFor(async () => {
    const { order, me } = await asUser<{
      order: { status: string } | null;
      me: { cart: { items: unknown[] } };
    }>(
      gateway,
      accessToken,
      'query ($id: ID!) { order(id: $id) { status } me { cart { items { quantity } } } }',
      { id: orderId },
    );
    return order?.status !== 'PENDING' && me.cart.items.length === 0;
  });
  if (!settled)
    log('warning: the benchmark order did not settle within 30 s; the deep query may vary');
  await fillCart();
  return accessToken;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** One checked request: the exact body every request under load must get. */
async function check(
  url: string,
  body: string,
  headers: Record<string, string>,
  reference?: Reference,
) {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown[] };
  if (response.status !== 200 || parsed.errors?.length || !parsed.data) {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 300)}`);
  }
  if (reference && !isDeepStrictEqual(parsed.data, reference.data)) {
    throw new Error(`answers differently from stock @apollo/gateway: ${text.slice(0, 300)}`);
  }
  return { body: text, data: parsed.data };
}

/** The identical-query table: one fixed query, one token, every answer equal to stock Apollo's. */
async function identicalQueries(targets: Targets): Promise<Results> {
  const prep = await targets.startMicroShop('prepare', {});
  const token = await prepareCustomer({ gatewayUrl: prep.url }).finally(() => prep.close());
  const headersFor = (query: BenchQuery) => ({
    'content-type': 'application/json',
    ...(query.signedIn ? { authorization: `Bearer ${token}` } : {}),
  });
  const bodyOf = (query: BenchQuery) => JSON.stringify({ query: query.query });

  const results: Results = Object.fromEntries(QUERIES.map((query) => [query.name, {}]));
  const references = new Map<string, Reference>();

  async function bench(key: TargetKey, target: RunningTarget, queries: readonly BenchQuery[]) {
    for (const query of queries) {
      const headers = headersFor(query);
      let cell: Cell;
      try {
        const reference = references.get(query.name);
        const checked = await check(
          target.url,
          bodyOf(query),
          headers,
          key === 'a' ? undefined : reference,
        );
        if (!reference) references.set(query.name, checked);
        log(`(${key}) ${TARGET_LABELS[key]} — ${query.name}`);
        cell = await measure(
          { url: target.url, body: bodyOf(query), headers, expectBody: checked.body },
          settings,
        );
      } catch (error) {
        cell = { skipped: error instanceof Error ? error.message : String(error) };
        log(`(${key}) ${query.name} skipped: ${cell.skipped}`);
      }
      results[query.name]![key] = cell;
    }
  }

  // Stock Apollo first: its answers are the reference the others must match byte for byte in data.
  // (c) always runs: its answers are what the others are checked against.
  const apollo = await targets.start('c', 'apollo', targets.supergraphFile);
  await bench('c', apollo, QUERIES).finally(() => apollo.close());

  for (const query of runs('a') ? QUERIES : []) {
    const reference = references.get(query.name);
    if (!reference) {
      results[query.name]!.a = { skipped: 'no reference answer from stock @apollo/gateway' };
      continue;
    }
    const bare = await targets.start(
      'a',
      'bare',
      targets.inputFile(`${query.name}.json`, reference.body),
    );
    await bench('a', bare, [query]).finally(() => bare.close());
  }

  if (runs('b')) {
    await bench(
      'b',
      { url: targets.stack.subgraphUrls.catalog, close: async () => undefined },
      QUERIES.filter((query) => query.catalogOnly),
    );
  }

  if (runs('d')) {
    const hive = await targets.start('d', 'hive', targets.supergraphFile);
    await bench('d', hive, QUERIES).finally(() => hive.close());
  }
  for (const [key, microShopSettings] of MICROSHOP_SETTINGS) {
    if (!runs(key)) continue;
    const gateway = await targets.startMicroShop(key, microShopSettings);
    await bench(key, gateway, QUERIES).finally(() => gateway.close());
  }
  return results;
}

const MICROSHOP_SETTINGS: [TargetKey, NodeJS.ProcessEnv][] = [
  ['e', {}],
  ['e0', { SUBGRAPH_DEDUPLICATION: 'false', OPERATION_DEDUPLICATION: 'false' }],
  ['eN', { GATEWAY_WORKERS: String(workers) }],
];

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    log('npm run bench needs DATABASE_URL (a PostgreSQL server), like the e2e tests.');
    process.exit(64);
  }
  loadBefore = loadavg()[0] ?? 0;
  if (loadBefore > cpus().length / 2) {
    log(
      `warning: the machine is busy (1-minute load ${loadBefore.toFixed(1)} on ${cpus().length} cores); figures will be low`,
    );
  }
  const profileDir = flags.profile
    ? join(tmpdir(), `microshop-bench-profiles-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    : undefined;
  log('starting the subgraphs (one process each) and seeding the benchmark catalog...');
  const stack = await startProcessStack({
    seed: (db) => seedBenchCatalog(db.prisma),
    profileDir,
  });
  let report;
  try {
    const targets = targetsOver(stack);
    log(`signing up ${MIX_USERS} shoppers and reading the catalog...`);
    const fixture = await prepareMix(stack.subgraphUrls, stack.db);
    const mix = await mixedLoad(targets, fixture, { settings: mixSettings, runs, log });
    const identical = scenario === 'mix' ? undefined : await identicalQueries(targets);
    report = buildReport(mix, identical);
  } finally {
    await stack.close();
  }
  if (profileDir) {
    log(`V8 CPU profiles of every process: ${profileDir}`);
    process.stdout.write(
      `${summariseProfiles(
        profileDir,
        Object.values(report.mixed.results).flatMap((cell) =>
          'window' in cell ? [cell.window] : [],
        ),
      )}\n`,
    );
  }
  process.stdout.write(`${markdown(report)}\n`);
  // A subset is a look at one comparison, not the record.
  if (flags.queries || flags.targets || flags.profile) {
    log('a partial or profiled run: not written to bench/results/');
  } else {
    const now = new Date().toISOString();
    const resultsDir = new URL('./results/', import.meta.url);
    mkdirSync(resultsDir, { recursive: true });
    // A second run of the day keeps the first: its name also carries the time (UTC).
    const nameOf = (stamp: string) => (scenario === 'mix' ? `mix-${stamp}.json` : `${stamp}.json`);
    let name = nameOf(now.slice(0, 10));
    if (existsSync(new URL(name, resultsDir)))
      name = nameOf(`${now.slice(0, 10)}-${now.slice(11, 16).replace(':', '')}`);
    writeFileSync(new URL(name, resultsDir), `${JSON.stringify(report, null, 2)}\n`);
    log(`written to bench/results/${name}`);
  }
}

function ratio(
  results: Partial<Record<TargetKey, Cell>>,
  top: TargetKey,
  bottom: TargetKey,
): number | null {
  const numerator = results[top];
  const denominator = results[bottom];
  if (
    !numerator ||
    !denominator ||
    'skipped' in numerator ||
    'skipped' in denominator ||
    !denominator.rps
  ) {
    return null;
  }
  return Math.round((numerator.rps / denominator.rps) * 100) / 100;
}

function buildReport(mix: MixResults, identical: Results | undefined) {
  return {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      os: `${osType()} ${release()}`,
      node: process.version,
      loadAverage1mBefore: Math.round(loadBefore * 10) / 10,
      loadAverage1mAfter: Math.round((loadavg()[0] ?? 0) * 10) / 10,
    },
    settings: {
      ...settings,
      mixConnections: mixSettings.connections,
      processes: PROCESS_SETTINGS,
      topology:
        'each subgraph and the orders worker in a process of its own, each target in a process of its own (started and stopped in turn), the load generator in the benchmark process (mixed load) or a worker thread of it (autocannon); PostgreSQL, Redis, Kafka and OpenSearch local',
      gatewayWorkers: workers,
    },
    mixed: {
      targets: MIX_TARGET_LABELS,
      mixes: Object.values(MIXES),
      results: mix,
      ratios: mixRatios(mix),
    },
    identical: identical && {
      targets: TARGET_LABELS,
      queries: QUERIES.map(({ name, description, query }) => ({ name, description, query })),
      results: identical,
      ratios: Object.fromEntries(
        Object.entries(identical).map(([query, cells]) => [
          query,
          {
            'e/c': ratio(cells, 'e', 'c'),
            'e/d': ratio(cells, 'e', 'd'),
            'e/a': ratio(cells, 'e', 'a'),
            'e0/c': ratio(cells, 'e0', 'c'),
            'e0/d': ratio(cells, 'e0', 'd'),
            'eN/c': ratio(cells, 'eN', 'c'),
          },
        ]),
      ),
    },
  };
}

function markdown(report: ReturnType<typeof buildReport>): string {
  const lines = [
    `Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGb} GB, ${report.machine.os}, Node ${report.machine.node}; 1-minute load ${report.machine.loadAverage1mBefore} before, ${report.machine.loadAverage1mAfter} after.`,
    '',
    mixMarkdown(report.mixed.results, mixSettings),
  ];
  if (!report.identical) return lines.join('\n');
  lines.push(
    '',
    `Identical queries (one fixed query and token per cell, in-flight deduplication's best case): autocannon, ${settings.connections} connections, ${settings.durationSeconds} s after a ${settings.warmupSeconds} s warm-up, per cell.`,
    '',
    '| query | target | rps | p50 (ms) | p99 (ms) | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  );
  for (const [query, cells] of Object.entries(report.identical.results)) {
    for (const key of Object.keys(TARGET_LABELS) as TargetKey[]) {
      const cell = cells[key];
      if (!cell) continue;
      const label = `(${key}) ${TARGET_LABELS[key]}`;
      lines.push(
        'skipped' in cell
          ? `| ${query} | ${label} | – | – | – | skipped: ${cell.skipped.replaceAll('|', '/').slice(0, 120)} |`
          : `| ${query} | ${label} | ${cell.rps} | ${cell.p50Ms} | ${cell.p99Ms} | ${cell.errors} |`,
      );
    }
  }
  lines.push(
    '',
    '| query | e/c | e/d | e/a | e0/c | e0/d | eN/c |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const show = (value: number | null) => (value === null ? '–' : `${value}×`);
  for (const [query, ratios] of Object.entries(report.identical.ratios)) {
    lines.push(
      `| ${query} | ${show(ratios['e/c'])} | ${show(ratios['e/d'])} | ${show(ratios['e/a'])} | ${show(ratios['e0/c'])} | ${show(ratios['e0/d'])} | ${show(ratios['eN/c'])} |`,
    );
  }
  return lines.join('\n');
}

if (scenario === 'search') {
  const { runSearchBench } = await import('./search.ts');
  await runSearchBench(process.argv.slice(3));
} else if (scenario === 'saga') {
  await import('./saga.ts');
} else if (scenario && scenario !== 'mix') {
  log(`unknown scenario "${scenario}": \`npm run bench\` or \`npm run bench -- mix|search|saga\``);
  process.exit(64);
} else {
  await main();
}

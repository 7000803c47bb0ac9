import { measureMachineTime, type MachineTime } from './machine-time.ts';
import { measureMix, type MixResult } from './mix-load.ts';
import { MIXES, mixRequests, type Mix, type MixFixture } from './mix.ts';
import type { RunningTarget } from './targets.ts';
import type { Targets } from './target-processes.ts';

/** The mixed-load table's rows: which target, under which share of the mix. */
export type MixTargetKey =
  | 'a'
  | 'b-product'
  | 'b-catalog'
  | 'b-cart'
  | 'b-users'
  | 'c'
  | 'd'
  | 'e'
  | 'e0'
  | 'e-nocache'
  | 'c-writes'
  | 'e-writes';

export const MIX_TARGET_LABELS: Record<MixTargetKey, string> = {
  a: 'node:http, fixed product answer (ceiling)',
  'b-product': 'catalog subgraph direct, product(id:) only',
  'b-catalog': "catalog subgraph direct, the mix's catalog share",
  'b-cart': "cart subgraph direct, the mix's cart share",
  'b-users': "users subgraph direct, the mix's me share",
  c: '@apollo/gateway + @apollo/server',
  d: 'Hive Gateway',
  e: 'MicroShop gateway (defaults)',
  e0: 'MicroShop gateway, SUBGRAPH_DEDUPLICATION=false OPERATION_DEDUPLICATION=false',
  'e-nocache': 'MicroShop gateway, RESPONSE_CACHE_ENTRIES=0 (no response cache)',
  'c-writes': '@apollo/gateway + @apollo/server, under the mix with writes',
  'e-writes': 'MicroShop gateway (defaults), under the mix with writes',
};

/**
 * A MicroShop cell's response cache over the measured run (warm-up excluded), from the gateway's
 * `gateway_response_cache_total`: queries answered from memory, and queries it could have answered.
 */
export interface ResponseCacheShare {
  hits: number;
  misses: number;
}

export type MixCell =
  | (MixResult & { mix: string; responseCache?: ResponseCacheShare; machineTime?: MachineTime })
  | { skipped: string };
export type MixResults = Partial<Record<MixTargetKey, MixCell>>;

export interface MixSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

/**
 * Every target under the same seeded sequence of requests, one after the other: the gateways
 * under the whole mix, each subgraph directly under its own share of it, and a bare node:http
 * server answering one product page (what the machine can do with no GraphQL at all).
 */
export async function mixedLoad(
  targets: Targets,
  fixture: MixFixture,
  options: {
    settings: MixSettings;
    runs(key: string): boolean;
    log(message: string): void;
  },
): Promise<MixResults> {
  const results: MixResults = {};
  const cell = async (key: MixTargetKey, mix: Mix, start: () => Promise<RunningTarget>) => {
    if (!options.runs(key) && !options.runs(key.split('-')[0]!)) return;
    options.log(`(${key}) ${MIX_TARGET_LABELS[key]} — ${mix.name}`);
    let target: RunningTarget | undefined;
    try {
      target = await start();
      const metricsUrl = new URL('/metrics', target.url).href;
      let responseCache: ResponseCacheShare | undefined;
      let machineTime: MachineTime | undefined;
      const result = await measureMix(
        target.url,
        mixRequests(mix, fixture),
        options.settings,
        async (run) => {
          const cacheBefore = key.startsWith('e')
            ? await responseCacheCounts(metricsUrl)
            : undefined;
          const measured = await measureMachineTime(run);
          machineTime = measured.machineTime;
          if (cacheBefore) {
            const cacheAfter = await responseCacheCounts(metricsUrl);
            responseCache = {
              hits: cacheAfter.hits - cacheBefore.hits,
              misses: cacheAfter.misses - cacheBefore.misses,
            };
          }
          return measured.result;
        },
      );
      results[key] = {
        mix: mix.name,
        ...result,
        ...(responseCache && { responseCache }),
        ...(machineTime && { machineTime }),
      };
      if (result.errors) options.log(`  ${result.errors} errors, e.g. ${result.errorSamples[0]}`);
    } catch (error) {
      results[key] = { skipped: error instanceof Error ? error.message : String(error) };
      options.log(`  skipped: ${results[key].skipped}`);
    } finally {
      await target?.close();
    }
  };
  const direct = (url: string) => async () => ({ url, close: async () => undefined });
  const { subgraphUrls } = targets.stack;

  const productAnswer = await fetch(subgraphUrls.catalog, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: mixRequests(MIXES.catalogProduct, fixture)().body,
  }).then((response) => response.text());
  await cell('a', MIXES.catalogProduct, () =>
    targets.start('a', 'bare', targets.inputFile('product.json', productAnswer)),
  );
  await cell('b-product', MIXES.catalogProduct, direct(subgraphUrls.catalog));
  await cell('b-catalog', MIXES.catalogShare, direct(subgraphUrls.catalog));
  await cell('b-cart', MIXES.cartShare, direct(subgraphUrls.cart));
  await cell('b-users', MIXES.usersShare, direct(subgraphUrls.users));
  await cell('c', MIXES.shop, () => targets.start('c', 'apollo', targets.supergraphFile));
  await cell('d', MIXES.shop, () => targets.start('d', 'hive', targets.supergraphFile));
  await cell('e', MIXES.shop, () => targets.startMicroShop('e', {}));
  await cell('e0', MIXES.shop, () =>
    targets.startMicroShop('e0', {
      SUBGRAPH_DEDUPLICATION: 'false',
      OPERATION_DEDUPLICATION: 'false',
    }),
  );
  await cell('e-nocache', MIXES.shop, () =>
    targets.startMicroShop('e-nocache', { RESPONSE_CACHE_ENTRIES: '0' }),
  );
  await cell('c-writes', MIXES.shopWithWrites, () =>
    targets.start('c-writes', 'apollo', targets.supergraphFile),
  );
  await cell('e-writes', MIXES.shopWithWrites, () => targets.startMicroShop('e-writes', {}));
  return results;
}

async function responseCacheCounts(metricsUrl: string): Promise<ResponseCacheShare> {
  const text = await (await fetch(metricsUrl)).text();
  const count = (outcome: string) =>
    Number(
      new RegExp(`^gateway_response_cache_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  return { hits: count('hit'), misses: count('miss') };
}

function rpsOf(cell: MixCell | undefined): number | undefined {
  return cell && !('skipped' in cell) && cell.rps > 0 ? cell.rps : undefined;
}

/** top / bottom in requests per second, two decimals; null when either did not run. */
export function mixRatio(results: MixResults, top: MixTargetKey, bottom: MixTargetKey) {
  const numerator = rpsOf(results[top]);
  const denominator = rpsOf(results[bottom]);
  return numerator && denominator ? Math.round((numerator / denominator) * 100) / 100 : null;
}

export function mixRatios(results: MixResults) {
  return {
    'e/c': mixRatio(results, 'e', 'c'),
    'e/d': mixRatio(results, 'e', 'd'),
    'e0/c': mixRatio(results, 'e0', 'c'),
    'e-nocache/c': mixRatio(results, 'e-nocache', 'c'),
    'e-writes/c-writes': mixRatio(results, 'e-writes', 'c-writes'),
    'b-product/a': mixRatio(results, 'b-product', 'a'),
  };
}

/** `93% of 4200`: answered from memory, of the queries the cache could answer. */
function cacheShareOf(share: ResponseCacheShare | undefined): string {
  if (!share) return '–';
  const eligible = share.hits + share.misses;
  return eligible === 0 ? '0' : `${Math.round((share.hits / eligible) * 100)}% of ${eligible}`;
}

export function mixMarkdown(results: MixResults, settings: MixSettings): string {
  const lines = [
    `Mixed load: ${settings.connections} connections, ${settings.durationSeconds} s after a ${settings.warmupSeconds} s warm-up, per cell; every request its own variables (and token), every answer checked.`,
    '',
    '| target | load | rps | p50 (ms) | p99 (ms) | errors | from the response cache |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const key of Object.keys(MIX_TARGET_LABELS) as MixTargetKey[]) {
    const cell = results[key];
    if (!cell) continue;
    const label = `(${key}) ${MIX_TARGET_LABELS[key]}`;
    lines.push(
      'skipped' in cell
        ? `| ${label} | – | – | – | – | skipped: ${cell.skipped.replaceAll('|', '/').slice(0, 120)} | – |`
        : `| ${label} | ${cell.mix} | ${cell.rps} | ${cell.p50Ms} | ${cell.p99Ms} | ${cell.errors} | ${cacheShareOf(cell.responseCache)} |`,
    );
  }
  const kinds = [
    ...new Set(
      Object.values(results).flatMap((cell) =>
        cell && !('skipped' in cell) ? Object.keys(cell.byKind) : [],
      ),
    ),
  ];
  lines.push(
    '',
    `p50 / p99 (ms) by kind of request: ${kinds.join(', ')}`,
    '',
    `| target | ${kinds.join(' | ')} |`,
    `| --- | ${kinds.map(() => '---:').join(' | ')} |`,
  );
  for (const [key, cell] of Object.entries(results)) {
    if (!cell || 'skipped' in cell) continue;
    const shown = kinds.map((kind) => {
      const latency = cell.byKind[kind];
      return latency ? `${latency.p50Ms} / ${latency.p99Ms}` : '–';
    });
    lines.push(`| (${key}) | ${shown.join(' | ')} |`);
  }
  lines.push(...machineTimeMarkdown(results));
  const ratios = mixRatios(results);
  const show = (value: number | null) => (value === null ? '–' : `${value}×`);
  lines.push(
    '',
    '| e/c | e/d | e0/c | e-nocache/c | e-writes/c-writes | b-product/a |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${show(ratios['e/c'])} | ${show(ratios['e/d'])} | ${show(ratios['e0/c'])} | ${show(ratios['e-nocache/c'])} | ${show(ratios['e-writes/c-writes'])} | ${show(ratios['b-product/a'])} |`,
  );
  return lines.join('\n');
}

/** CPU ms per request of every process group, by cell: where a cheaper request has to come from. */
function machineTimeMarkdown(results: MixResults): string[] {
  const measured = Object.entries(results).flatMap(([key, cell]) =>
    cell && !('skipped' in cell) && cell.machineTime ? [[key, cell.machineTime] as const] : [],
  );
  if (measured.length === 0) return [];
  const groups = [
    ...new Set(measured.flatMap(([, time]) => Object.keys(time.msPerRequest))),
  ].filter((group) => group !== 'total');
  return [
    '',
    'Machine time per request: CPU ms of each kind of process (all of it on the same cores), divided by the requests answered',
    '',
    `| target | busy cores | total | ${groups.join(' | ')} |`,
    `| --- | ---: | ---: | ${groups.map(() => '---:').join(' | ')} |`,
    ...measured.map(
      ([key, time]) =>
        `| (${key}) | ${time.busyCores} | ${time.msPerRequest.total} | ${groups.map((group) => time.msPerRequest[group] ?? '–').join(' | ')} |`,
    ),
  ];
}

import type { Config } from '@microshop/config';
import type { Db } from '@microshop/db';
import type { Logger } from '@microshop/runtime';
import type { SearchIndex } from './types.ts';

export * from './types.ts';
export { PRICE_BANDS, optionToken } from './shared.ts';

/**
 * The search index chosen by configuration, initialized. Elasticsearch/OpenSearch code (and its
 * client library) is loaded only when that engine is chosen.
 */
export async function createSearchIndex(
  config: Pick<Config, 'search' | 'namespace'>,
  deps: { db: Db; logger: Logger },
): Promise<SearchIndex> {
  let index: SearchIndex;
  if (config.search.kind === 'postgres') {
    const { PostgresSearchIndex } = await import('./postgres.ts');
    index = new PostgresSearchIndex({
      db: deps.db,
      namespace: config.namespace,
      logger: deps.logger,
    });
  } else {
    const { ElasticsearchIndex } = await import('./elasticsearch/index.ts');
    index = new ElasticsearchIndex({
      flavour: config.search.kind,
      url: config.search.url,
      namespace: config.namespace,
      logger: deps.logger,
    });
  }
  await index.init();
  return index;
}

import type { Client, TransportRequestOptions } from '@elastic/elasticsearch';
import type { Logger } from '@microshop/runtime';
import { aliasName, buildFacets, encodeCursor, sortOf, versionedName } from '../shared.ts';
import type { SearchDocument, SearchIndex, SearchRequest, SearchResult } from '../types.ts';
import {
  bulkDeleteOperations,
  bulkUpsertOperations,
  indexMappings,
  indexSettings,
  searchBody,
} from './query.ts';

export interface ElasticsearchIndexOptions {
  flavour: 'elasticsearch' | 'opensearch';
  url: string;
  namespace: string;
  logger: Logger;
}

/**
 * `@elastic/elasticsearch` refuses servers that do not identify as Elasticsearch and sends
 * `compatible-with=9` media types OpenSearch rejects. Its Transport, told to skip the product
 * check and to send plain JSON, talks to OpenSearch with the same client and the same bodies.
 */
async function createClient(flavour: 'elasticsearch' | 'opensearch', url: string): Promise<Client> {
  const elastic = await import('@elastic/elasticsearch');
  if (flavour === 'elasticsearch') return new elastic.Client({ node: url });
  type TransportOptions = ConstructorParameters<typeof elastic.Transport>[0];
  class OpenSearchTransport extends elastic.Transport {
    constructor(options: TransportOptions) {
      // No productCheck: the transport then defaults to none; no vendoredHeaders: plain JSON.
      super({ ...options, productCheck: undefined, vendoredHeaders: undefined });
    }
  }
  return new elastic.Client({ node: url, Transport: OpenSearchTransport });
}

interface BucketAggregations {
  category?: { buckets: Array<{ key: string; doc_count: number }> };
  price?: { buckets: Array<{ key: string; doc_count: number }> };
  options?: { buckets: Array<{ key: string; doc_count: number }> };
}

const countsOf = (
  aggregation: { buckets: Array<{ key: string; doc_count: number }> } | undefined,
) => (aggregation?.buckets ?? []).map((bucket) => ({ value: bucket.key, count: bucket.doc_count }));

/** Throws when a bulk request reports failed items (the HTTP call itself succeeds). */
function assertBulkSucceeded(
  response: { errors: boolean; items: Array<Record<string, { status: number; error?: unknown }>> },
  ignoreNotFound: boolean,
): void {
  if (!response.errors) return;
  const failures = response.items
    .flatMap((item) => Object.values(item))
    .filter((result) => result.error && !(ignoreNotFound && result.status === 404));
  if (failures.length > 0) {
    throw new Error(
      `bulk request failed for ${failures.length} items: ${JSON.stringify(failures[0]?.error)}`,
    );
  }
}

export class ElasticsearchIndex implements SearchIndex {
  readonly engine: 'elasticsearch' | 'opensearch';
  private client: Client | undefined;
  private readonly alias: string;
  private readonly requestOptions: TransportRequestOptions = {
    maxRetries: 2,
    requestTimeout: 30_000,
  };
  /** Bulk loads and the refresh after them can take minutes on a busy node. */
  private readonly bulkLoadOptions: TransportRequestOptions = {
    maxRetries: 2,
    requestTimeout: 600_000,
  };

  constructor(private readonly options: ElasticsearchIndexOptions) {
    this.engine = options.flavour;
    this.alias = aliasName(options.namespace);
  }

  async init(): Promise<void> {
    this.client = await createClient(this.options.flavour, this.options.url);
    await this.client.ping({}, this.requestOptions);
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.client = undefined;
  }

  private get es(): Client {
    if (!this.client) throw new Error('search index used before init()');
    return this.client;
  }

  private async createVersion(): Promise<string> {
    const index = versionedName(this.alias);
    await this.es.indices.create(
      { index, settings: indexSettings, mappings: indexMappings },
      this.requestOptions,
    );
    return index;
  }

  private async currentVersions(): Promise<string[]> {
    const exists = await this.es.indices.existsAlias({ name: this.alias }, this.requestOptions);
    if (!exists) return [];
    const aliases = await this.es.indices.getAlias({ name: this.alias }, this.requestOptions);
    return Object.keys(aliases);
  }

  async ensureIndex(): Promise<boolean> {
    if ((await this.currentVersions()).length > 0) {
      // An index made before fields were added (createdAt, options, variants) gains them: adding
      // fields to a mapping is allowed in place, so the search sync can write the new documents at
      // once; documents written before lack them until written again or reindexed.
      await this.es.indices.putMapping(
        { index: this.alias, properties: indexMappings.properties },
        this.requestOptions,
      );
      return false;
    }
    // Instances that start at once on a new namespace race here. The first version has one fixed
    // name and is created with its alias in one request, so exactly one of them creates it; the
    // others are refused and use it (two versions made apart would delete each other on reindex).
    const index = `${this.alias}-v0`;
    try {
      await this.es.indices.create(
        { index, settings: indexSettings, mappings: indexMappings, aliases: { [this.alias]: {} } },
        this.requestOptions,
      );
    } catch (error) {
      if (isIndexAlreadyThere(error)) return false;
      throw error;
    }
    this.options.logger.info({ index, alias: this.alias }, 'created search index');
    return true;
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const response = await this.es.bulk(
      { index: this.alias, operations: bulkUpsertOperations(documents) },
      this.requestOptions,
    );
    assertBulkSucceeded(response, false);
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const response = await this.es.bulk(
      { index: this.alias, operations: bulkDeleteOperations(ids) },
      this.requestOptions,
    );
    assertBulkSucceeded(response, true);
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    const response = await this.es.search(
      { index: this.alias, ...searchBody(request) },
      this.requestOptions,
    );
    const sort = sortOf(request);
    const hits = response.hits.hits.map((hit) => {
      const [value, id] = hit.sort as [number | string, string];
      return { id, cursor: encodeCursor(sort, { value, id }) };
    });
    const total = response.hits.total;
    const aggregations = response.aggregations as BucketAggregations | undefined;
    return {
      hits: hits.slice(0, request.first),
      hasNextPage: hits.length > request.first,
      totalCount: typeof total === 'number' ? total : (total?.value ?? 0),
      facets: request.facets
        ? buildFacets(
            countsOf(aggregations?.category),
            new Map(countsOf(aggregations?.price).map((price) => [price.value, price.count])),
            countsOf(aggregations?.options),
          )
        : [],
    };
  }

  async reindex(
    batches: AsyncIterable<SearchDocument[]>,
  ): Promise<{ index: string; documents: number }> {
    const index = await this.createVersion();
    let documents = 0;
    try {
      // Bulk load without refreshes; one refresh before the swap makes it all visible at once.
      await this.es.indices.putSettings(
        { index, settings: { refresh_interval: '-1' } },
        this.bulkLoadOptions,
      );
      for await (const batch of batches) {
        if (batch.length === 0) continue;
        const response = await this.es.bulk(
          { index, operations: bulkUpsertOperations(batch) },
          this.bulkLoadOptions,
        );
        assertBulkSucceeded(response, false);
        documents += batch.length;
      }
      await this.es.indices.putSettings(
        { index, settings: { refresh_interval: '1s' } },
        this.bulkLoadOptions,
      );
      await this.es.indices.refresh({ index }, this.bulkLoadOptions);
    } catch (error) {
      await this.es.indices.delete({ index }, this.bulkLoadOptions).catch(() => undefined);
      throw error;
    }
    const previous = await this.currentVersions();
    // One aliases call: readers see either the old index or the new one, never neither.
    await this.es.indices.updateAliases(
      {
        actions: [
          { add: { index, alias: this.alias } },
          ...previous.map((old) => ({ remove: { index: old, alias: this.alias } })),
        ],
      },
      this.requestOptions,
    );
    for (const old of previous) await this.es.indices.delete({ index: old }, this.requestOptions);
    this.options.logger.info(
      { index, alias: this.alias, documents, removed: previous },
      'reindexed',
    );
    return { index, documents };
  }

  async refresh(): Promise<void> {
    await this.es.indices.refresh({ index: this.alias }, this.requestOptions);
  }

  async drop(): Promise<void> {
    const versions = await this.currentVersions();
    const strays = await this.es.indices.get({ index: `${this.alias}-v*` }, this.requestOptions);
    const all = new Set([...versions, ...Object.keys(strays)]);
    for (const index of all) await this.es.indices.delete({ index }, this.requestOptions);
  }
}

function isIndexAlreadyThere(error: unknown): boolean {
  const body = (error as { meta?: { body?: { error?: { type?: string } } } }).meta?.body;
  return body?.error?.type === 'resource_already_exists_exception';
}

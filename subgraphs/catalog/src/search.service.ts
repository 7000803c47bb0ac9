import type { Db, Tx } from '@microshop/db';
import type { DomainEvent } from '@microshop/events';
import { badUserInput, type Logger, type RequestContext } from '@microshop/runtime';
import {
  InvalidCursorError,
  type Facet,
  type SearchDocument,
  type SearchIndex,
} from '@microshop/search';
import { checkFilter, checkPageSize, type ProductFilterInput } from './product.service.ts';
import type { ProductRecord } from './product.repository.ts';

export interface SearchPage {
  edges: Array<{ cursor: string; node: ProductRecord }>;
  hasNextPage: boolean;
  totalCount: number;
  facets: Facet[];
}

/** Longest query accepted: a search box, not a document. */
const MAX_QUERY_LENGTH = 200;

type ProductWithCategory = ProductRecord & { category: { slug: string } | null };

export function toSearchDocument(product: ProductWithCategory): SearchDocument {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    categorySlug: product.category?.slug ?? null,
    priceAmount: product.priceAmount,
    currency: product.currency,
    stock: Math.max(0, product.onHand - product.reserved),
  };
}

/** Full-text search over the index, and keeping the index in step with the catalog tables. */
export class SearchService {
  constructor(
    private readonly index: SearchIndex,
    private readonly logger: Logger,
  ) {}

  /**
   * Hits come from the index, products from the database (one batched query through the
   * request's loader), so prices and stock are current even when the index lags a little.
   */
  async searchProducts(
    ctx: RequestContext,
    loadProducts: (ids: string[]) => Promise<Array<ProductRecord | null>>,
    args: {
      query: string;
      first: number;
      after?: string | null;
      filter?: ProductFilterInput | null;
    },
  ): Promise<SearchPage> {
    const query = args.query.trim();
    if (query.length === 0) throw badUserInput('query must not be empty', ['query']);
    if (query.length > MAX_QUERY_LENGTH)
      throw badUserInput(`query must be at most ${MAX_QUERY_LENGTH} characters`, ['query']);
    checkPageSize(args.first);
    checkFilter(args.filter);
    let result;
    try {
      result = await this.index.search({
        query,
        first: args.first,
        after: args.after,
        filter: args.filter,
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw badUserInput('Invalid cursor', ['after']);
      throw error;
    }
    const products = await loadProducts(result.hits.map((hit) => hit.id));
    const edges = result.hits.flatMap((hit, position) => {
      const node = products[position];
      // A product removed since it was indexed: its delete event is on the way.
      return node?.active ? [{ cursor: hit.cursor, node }] : [];
    });
    ctx.log.debug({ query, hits: edges.length, total: result.totalCount }, 'search');
    return {
      edges,
      hasNextPage: result.hasNextPage,
      totalCount: result.totalCount,
      facets: result.facets,
    };
  }

  /**
   * The search-sync consumer: the product's current row decides (not the event's content), so
   * events applied late or twice still leave the index matching the database.
   */
  async handleCatalogEvent(tx: Tx, event: DomainEvent): Promise<void> {
    if (event.type !== 'ProductChanged') return;
    const { productId } = event.payload;
    const product = await tx.product.findUnique({
      where: { id: productId },
      include: { category: { select: { slug: true } } },
    });
    if (product?.active) await this.index.upsert([toSearchDocument(product)]);
    else await this.index.delete([productId]);
  }

  /**
   * Rebuilds the index into a new version and swaps the alias; then replays products changed
   * while the copy ran (their events went to the old version), so nothing is lost in the swap.
   */
  async reindex(db: Db, batchSize = 5_000): Promise<{ index: string; documents: number }> {
    const startedAt = new Date(Date.now() - 1_000);
    const result = await this.index.reindex(activeDocuments(productBatches(db, batchSize)));
    let caughtUp = 0;
    for await (const batch of productBatches(db, batchSize, startedAt)) {
      await this.index.upsert(batch.filter((product) => product.active).map(toSearchDocument));
      await this.index.delete(
        batch.filter((product) => !product.active).map((product) => product.id),
      );
      caughtUp += batch.length;
    }
    this.logger.info({ ...result, caughtUp }, 'search index rebuilt');
    return result;
  }
}

/**
 * Rebuilds `index` from the catalog's tables and swaps its alias (`npm run reindex`, the search
 * benchmark); the caller owns the index and closes it.
 */
export function reindex(
  index: SearchIndex,
  db: Db,
  logger: Logger,
): Promise<{ index: string; documents: number }> {
  return new SearchService(index, logger).reindex(db);
}

async function* activeDocuments(
  batches: AsyncIterable<ProductWithCategory[]>,
): AsyncGenerator<SearchDocument[]> {
  for await (const batch of batches)
    yield batch.filter((product) => product.active).map(toSearchDocument);
}

/** Products in id order, `size` at a time (keyset: 100k rows never sit in memory at once). */
async function* productBatches(
  db: Db,
  size: number,
  changedSince?: Date,
): AsyncGenerator<ProductWithCategory[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await db.product.findMany({
      where: {
        ...(after ? { id: { gt: after } } : {}),
        ...(changedSince ? { updatedAt: { gte: changedSince } } : {}),
      },
      include: { category: { select: { slug: true } } },
      orderBy: { id: 'asc' },
      take: size,
    });
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)?.id;
  }
}

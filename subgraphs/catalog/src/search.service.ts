import type { Db, Tx } from '@microshop/db';
import type { DomainEvent } from '@microshop/events';
import type { Logger } from '@microshop/runtime';
import { optionToken, type SearchDocument, type SearchIndex } from '@microshop/search';
import {
  ProductRepository,
  type ProductWithCategory,
  type SelectedOption,
} from './product.repository.ts';
import { totalAvailableUnits } from './product.service.ts';

export function toSearchDocument(product: ProductWithCategory): SearchDocument {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    categorySlug: product.category?.slug ?? null,
    priceAmount: product.priceAmount,
    currency: product.currency,
    stock: totalAvailableUnits(product.variants),
    createdAt: product.createdAt,
    variants: product.variants.map((variant) => ({
      // Written by the repository as [{name, value}] (VariantRecord.selectedOptions).
      options: (variant.selectedOptions as SelectedOption[]).map(optionToken),
    })),
  };
}

/** Keeping the search index in step with the catalog tables (searching it is ProductService's). */
export class SearchService {
  constructor(
    private readonly index: SearchIndex,
    private readonly logger: Logger,
  ) {}

  /**
   * The search-sync consumer: the product's current row decides (not the event's content), so
   * events applied late or twice still leave the index matching the database.
   */
  handleCatalogEvent = async (tx: Tx, event: DomainEvent): Promise<void> => {
    if (event.type !== 'ProductChanged') return;
    const { productId } = event.payload;
    const product = await new ProductRepository(tx).findWithCategory(productId);
    if (product?.active) await this.index.upsert([toSearchDocument(product)]);
    else await this.index.delete([productId]);
  };

  /**
   * Rebuilds the index into a new version and swaps the alias; then replays products changed
   * while the copy ran (their events went to the old version), so nothing is lost in the swap.
   */
  async reindex(db: Db, batchSize = 5_000): Promise<{ index: string; documents: number }> {
    const products = new ProductRepository(db);
    const startedAt = new Date(Date.now() - 1_000);
    const result = await this.index.reindex(
      activeDocuments(products.batchesWithCategory(batchSize)),
    );
    let caughtUp = 0;
    for await (const batch of products.batchesWithCategory(batchSize, startedAt)) {
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

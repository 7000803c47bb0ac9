import DataLoader from 'dataloader';
import type { CategoryRecord, ProductRecord, ProductRepository } from './product.repository.ts';

/** Per-request loaders: every product or category asked for in one tick costs one query. */
export interface CatalogLoaders {
  productById: DataLoader<string, ProductRecord | null>;
  categoryById: DataLoader<string, CategoryRecord | null>;
}

function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): Array<T | null> {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

export function createCatalogLoaders(repository: ProductRepository): CatalogLoaders {
  const categoryById = new DataLoader<string, CategoryRecord | null>(async (ids) =>
    byId(ids, await repository.findCategoriesByIds(ids)),
  );
  const productById = new DataLoader<string, ProductRecord | null>(
    async (ids) => {
      const rows = await repository.findByIdsWithCategories(ids);
      // The categories came with the products: a `category` field then costs no second query.
      for (const { category } of rows) if (category) categoryById.prime(category.id, category);
      return byId(
        ids,
        rows.map(({ category: _category, ...product }) => product),
      );
    },
    { maxBatchSize: 1_000 },
  );
  return { productById, categoryById };
}

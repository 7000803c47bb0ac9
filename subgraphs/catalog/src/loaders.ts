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
  return {
    productById: new DataLoader(async (ids) => byId(ids, await repository.findByIds(ids)), {
      maxBatchSize: 1_000,
    }),
    categoryById: new DataLoader(async (ids) =>
      byId(ids, await repository.findCategoriesByIds(ids)),
    ),
  };
}

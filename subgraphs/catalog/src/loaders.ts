import DataLoader from 'dataloader';
import { groupedBy } from '@microshop/runtime';
import type {
  CategoryRecord,
  ImageRecord,
  ProductPageRows,
  ProductRecord,
  ProductRepository,
  VariantRecord,
} from './product.repository.ts';

/** Per-request loaders: every product, variant or category asked for in one tick costs one query. */
export interface CatalogLoaders {
  productById: DataLoader<string, ProductRecord | null>;
  categoryById: DataLoader<string, CategoryRecord | null>;
  /** A category's children, by name. */
  childrenById: DataLoader<string, CategoryRecord[]>;
  /** A category's ancestors, root first. */
  ancestorsById: DataLoader<string, CategoryRecord[]>;
  variantById: DataLoader<string, VariantRecord | null>;
  /** A product's variants, oldest first (none for an unknown product). */
  variantsByProductId: DataLoader<string, VariantRecord[]>;
  /** A product's images, in position order. */
  imagesByProductId: DataLoader<string, ImageRecord[]>;
}

function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): Array<T | null> {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}

const byProductId = (row: { productId: string }) => row.productId;

/** `pages`: where product rows come from (the repository itself, or what is kept of it). */
export function createCatalogLoaders(
  repository: ProductRepository,
  pages: ProductPageRows = repository,
): CatalogLoaders {
  const categoryById = new DataLoader<string, CategoryRecord | null>(async (ids) =>
    byId(ids, await repository.findCategoriesByIds(ids)),
  );
  const childrenById = new DataLoader<string, CategoryRecord[]>(async (ids) =>
    // Only categories with a parent are children: the key is never null here.
    groupedBy(ids, await repository.findChildren(ids), (child) => child.parentId ?? ''),
  );
  const ancestorsById = new DataLoader<string, CategoryRecord[]>(async (ids) =>
    groupedBy(ids, await repository.findAncestors(ids), (row) => row.descendantId).map((rows) =>
      rows.map(({ descendantId: _descendantId, ...ancestor }) => ancestor).reverse(),
    ),
  );
  const variantById = new DataLoader<string, VariantRecord | null>(
    async (ids) => byId(ids, await repository.findVariantsByIds(ids)),
    { maxBatchSize: 1_000 },
  );
  const variantsByProductId = new DataLoader<string, VariantRecord[]>(
    async (productIds) =>
      groupedBy(productIds, await repository.findVariantsByProductIds(productIds), byProductId),
    { maxBatchSize: 1_000 },
  );
  const imagesByProductId = new DataLoader<string, ImageRecord[]>(async (productIds) =>
    groupedBy(productIds, await repository.findImagesByProductIds(productIds), byProductId),
  );
  const productById = new DataLoader<string, ProductRecord | null>(
    async (ids) => {
      const rows = await pages.findByIdsWithCategories(ids);
      // Categories, variants and images came with the products: their fields cost no second query.
      for (const { category, variants, images, id } of rows) {
        if (category) categoryById.prime(category.id, category);
        variantsByProductId.prime(id, variants);
        imagesByProductId.prime(id, images);
        for (const variant of variants) variantById.prime(variant.id, variant);
      }
      return byId(
        ids,
        rows.map(
          ({ category: _category, variants: _variants, images: _images, ...product }) => product,
        ),
      );
    },
    { maxBatchSize: 1_000 },
  );
  return {
    productById,
    categoryById,
    childrenById,
    ancestorsById,
    variantById,
    variantsByProductId,
    imagesByProductId,
  };
}

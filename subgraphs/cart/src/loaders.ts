import DataLoader from 'dataloader';
import type { RequestContext } from '@microshop/runtime';
import type { CatalogClient, CatalogProduct, CatalogVariant } from './catalog-client.ts';

/** Per request: all catalog lookups of one tick share one catalog call per kind. */
export interface CartLoaders {
  /** Products by id, sold now or not, with their variants (null: unknown). */
  productById: DataLoader<string, CatalogProduct | null>;
  /** Variants sold now, by id (null: unknown or not sold). */
  variantById: DataLoader<string, CatalogVariant | null>;
}

/** The loaders of one request, asking the catalog on the caller's behalf. */
export function createCartLoaders(catalog: CatalogClient, request: RequestContext): CartLoaders {
  const caller = { authorization: request.authorization, requestId: request.requestId };
  return {
    productById: new DataLoader(async (ids) => {
      const found = await catalog.findProducts(ids, caller);
      return ids.map((id) => found.get(id) ?? null);
    }),
    variantById: new DataLoader(async (ids) => {
      const found = await catalog.findVariants(ids, caller);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

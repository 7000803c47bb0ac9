import DataLoader from 'dataloader';
import type { RequestContext } from '@microshop/runtime';
import type { CatalogClient, CatalogProduct } from './catalog-client.ts';

/** Per request: all catalog lookups of one tick share one catalog call. */
export interface CartLoaders {
  /** Products sold now, by id (null: unknown or not sold). */
  productById: DataLoader<string, CatalogProduct | null>;
}

/** The loaders of one request, asking the catalog on the caller's behalf. */
export function createCartLoaders(catalog: CatalogClient, request: RequestContext): CartLoaders {
  const caller = { authorization: request.authorization, requestId: request.requestId };
  return {
    productById: new DataLoader(async (ids) => {
      const found = await catalog.findProducts(ids, caller);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

import DataLoader from 'dataloader';
import type { RequestContext } from '@microshop/runtime';
import type { CartService } from './cart.service.ts';
import type { CatalogClient, CatalogProduct } from './catalog-client.ts';

/** The cart subgraph's request context: the cart service and this request's batched catalog lookup. */
export interface CartContext extends RequestContext {
  carts: CartService;
  /** Products sold now, by id (null: unknown or not sold); all lookups of one tick share one catalog call. */
  products: DataLoader<string, CatalogProduct | null>;
}

export function createCartContext(
  base: RequestContext,
  deps: { carts: CartService; catalog: CatalogClient },
): CartContext {
  const caller = { authorization: base.authorization, requestId: base.requestId };
  return {
    ...base,
    carts: deps.carts,
    products: new DataLoader(async (ids) => {
      const found = await deps.catalog.findProducts(ids, caller);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { TokenVerifier } from '@microshop/auth';
import type { Logger, SubgraphServerOptions } from '@microshop/runtime';
import { CartService } from './cart.service.ts';
import type { CartStore } from './cart-store.ts';
import type { CatalogClient } from './catalog-client.ts';
import type { CartContext } from './context.ts';
import { createCartLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface CartAppDeps {
  store: CartStore;
  catalog: CatalogClient;
  verifier: TokenVerifier;
  logger: Logger;
  showInternalErrors: boolean;
}

/** The cart subgraph wired from its dependencies: used by start() and by the tests. */
export function createCartApp(deps: CartAppDeps): SubgraphServerOptions<CartContext> {
  return {
    name: 'cart',
    typeDefs,
    resolvers,
    verifier: deps.verifier,
    logger: deps.logger,
    showInternalErrors: deps.showInternalErrors,
    context: (base) => ({
      ...base,
      carts: new CartService(deps.store, createCartLoaders(deps.catalog, base)),
    }),
    readiness: () => deps.store.ping(),
  };
}

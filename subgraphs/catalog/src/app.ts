import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { TokenVerifier } from '@microshop/auth';
import type { Db } from '@microshop/db';
import type { Logger, SubgraphServerOptions } from '@microshop/runtime';
import type { SearchIndex } from '@microshop/search';
import type { CatalogContext } from './context.ts';
import { createCatalogLoaders } from './loaders.ts';
import { ProductRepository } from './product.repository.ts';
import { ProductService } from './product.service.ts';
import { resolvers } from './resolvers.ts';

export const catalogTypeDefs = parse(
  readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
);

export interface CatalogAppDependencies {
  db: Db;
  searchIndex: SearchIndex;
  verifier: TokenVerifier;
  logger: Logger;
  showInternalErrors: boolean;
}

/** The catalog subgraph as server options: used by start.ts and by tests alike. */
export function createCatalogApp(
  deps: CatalogAppDependencies,
): SubgraphServerOptions<CatalogContext> {
  const repository = new ProductRepository(deps.db);
  return {
    name: 'catalog',
    typeDefs: catalogTypeDefs,
    resolvers,
    verifier: deps.verifier,
    logger: deps.logger,
    showInternalErrors: deps.showInternalErrors,
    context: (base) => ({
      ...base,
      products: new ProductService(
        deps.db,
        repository,
        deps.searchIndex,
        createCatalogLoaders(repository),
      ),
    }),
    readiness: async () => {
      await deps.db.$queryRaw`SELECT 1`;
    },
  };
}

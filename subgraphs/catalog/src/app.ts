import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { TokenVerifier } from '@microshop/auth';
import { readCatalogVersion, type Db } from '@microshop/db';
import { coalescedReadVersions, type Logger, type SubgraphServerOptions } from '@microshop/runtime';
import type { SearchIndex } from '@microshop/search';
import type { CatalogContext } from './context.ts';
import { createCatalogLoaders } from './loaders.ts';
import { keptProductRows } from './product-rows.ts';
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
  /** Product rows kept under the catalog's read version (product-rows.ts); 0: none. */
  productRowCacheEntries: number;
}

/** The catalog subgraph as server options: used by start.ts and by tests alike. */
export function createCatalogApp(
  deps: CatalogAppDependencies,
): SubgraphServerOptions<CatalogContext> {
  const repository = new ProductRepository(deps.db);
  const pages =
    deps.productRowCacheEntries > 0
      ? keptProductRows(
          repository,
          coalescedReadVersions(() => readCatalogVersion(deps.db), deps.logger),
          deps.productRowCacheEntries,
        )
      : repository;
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
        createCatalogLoaders(repository, pages),
      ),
    }),
    readiness: async () => {
      await deps.db.$queryRaw`SELECT 1`;
    },
  };
}

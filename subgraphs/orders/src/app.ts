import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { TokenVerifier } from '@microshop/auth';
import type { Db } from '@microshop/db';
import type { Logger, SubgraphServerOptions } from '@microshop/runtime';
import type { OrdersContext } from './context.ts';
import { AfterOrderRepository } from './after-order.repository.ts';
import { AfterOrderService } from './after-order.service.ts';
import { createAfterOrderLoaders, createOrderLoaders } from './loaders.ts';
import { OrderRepository } from './order.repository.ts';
import { OrderService } from './order.service.ts';
import { OrderTransitions } from './order-transitions.ts';
import { resolvers } from './resolvers.ts';
import type { ShopUpstream } from './upstream.ts';

export const ordersTypeDefs = parse(
  readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
);

export interface OrdersAppDependencies {
  db: Db;
  verifier: TokenVerifier;
  logger: Logger;
  upstream: ShopUpstream;
  showInternalErrors: boolean;
}

/** The orders subgraph as server options: used by start.ts and by tests alike. */
export function createOrdersApp(deps: OrdersAppDependencies): SubgraphServerOptions<OrdersContext> {
  const repository = new OrderRepository(deps.db);
  const transitions = new OrderTransitions(repository);
  const afterOrderRepository = new AfterOrderRepository(deps.db);
  return {
    name: 'orders',
    typeDefs: ordersTypeDefs,
    resolvers,
    verifier: deps.verifier,
    logger: deps.logger,
    showInternalErrors: deps.showInternalErrors,
    context: (base) => {
      const loaders = createOrderLoaders(repository);
      return {
        ...base,
        orders: new OrderService(deps.db, repository, transitions, deps.upstream, loaders),
        afterOrder: new AfterOrderService(
          deps.db,
          afterOrderRepository,
          repository,
          loaders,
          createAfterOrderLoaders(afterOrderRepository),
        ),
      };
    },
    readiness: async () => {
      await deps.db.$queryRaw`SELECT 1`;
    },
  };
}

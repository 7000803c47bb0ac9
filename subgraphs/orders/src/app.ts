import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { TokenVerifier } from '@microshop/auth';
import type { Db } from '@microshop/db';
import type { CheckoutConfig } from '@microshop/config';
import type { Logger, SubgraphServerOptions } from '@microshop/runtime';
import { CheckoutService } from './checkout.service.ts';
import type { OrdersContext } from './context.ts';
import { AfterOrderRepository } from './after-order.repository.ts';
import { AfterOrderService } from './after-order.service.ts';
import { DiscountRepository } from './discount.repository.ts';
import { DiscountService } from './discount.service.ts';
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
  /** Shipping methods, tax rates and whether prices include tax (`config.checkout`). */
  checkout: CheckoutConfig;
  showInternalErrors: boolean;
}

/** The orders subgraph as server options: used by start.ts and by tests alike. */
export function createOrdersApp(deps: OrdersAppDependencies): SubgraphServerOptions<OrdersContext> {
  const repository = new OrderRepository(deps.db);
  const discounts = new DiscountRepository(deps.db);
  const transitions = new OrderTransitions(repository, discounts);
  const checkout = new CheckoutService(deps.upstream, discounts, deps.checkout);
  const discountCodes = new DiscountService(discounts);
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
        orders: new OrderService(deps.db, repository, transitions, checkout, discounts, loaders),
        afterOrder: new AfterOrderService(
          deps.db,
          afterOrderRepository,
          repository,
          loaders,
          createAfterOrderLoaders(afterOrderRepository),
        ),
        checkout,
        discountCodes,
      };
    },
    readiness: async () => {
      await deps.db.$queryRaw`SELECT 1`;
    },
  };
}

import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { TokenVerifier } from '@microshop/auth';
import type { Db } from '@microshop/db';
import type { Logger, SubgraphServerOptions } from '@microshop/runtime';
import type { PaymentsContext } from './context.ts';
import { createPaymentLoaders } from './loaders.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { PaymentRefunds } from './payment-refunds.ts';
import { PaymentRepository } from './payment.repository.ts';
import { PaymentService } from './payment.service.ts';
import { RefundService } from './refund.service.ts';
import { resolvers } from './resolvers.ts';

export const paymentsTypeDefs = parse(
  readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
);

export interface PaymentsAppDependencies {
  db: Db;
  verifier: TokenVerifier;
  logger: Logger;
  provider: PaymentProvider;
  showInternalErrors: boolean;
}

/** The payments subgraph as server options: used by start.ts and by tests alike. */
export function createPaymentsApp(
  deps: PaymentsAppDependencies,
): SubgraphServerOptions<PaymentsContext> {
  const repository = new PaymentRepository(deps.db);
  const refunds = new RefundService(deps.db, new PaymentRefunds(repository, deps.provider));
  return {
    name: 'payments',
    typeDefs: paymentsTypeDefs,
    resolvers,
    verifier: deps.verifier,
    logger: deps.logger,
    showInternalErrors: deps.showInternalErrors,
    context: (base) => ({
      ...base,
      payments: new PaymentService(createPaymentLoaders(repository)),
      refunds,
    }),
    readiness: async () => {
      await deps.db.$queryRaw`SELECT 1`;
    },
  };
}

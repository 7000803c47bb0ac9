import { createTokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import { createPrismaClient, databaseUrlOf } from '@microshop/db';
import { createEventBus, startEventConsumer, startOutboxRelay } from '@microshop/events';
import {
  openInOrder,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@microshop/runtime';
import { createPaymentsApp } from './app.ts';
import { MockPaymentProvider, type PaymentProvider } from './payment-provider.ts';
import { consumers, outboxSource } from './events.ts';
import { PaymentRefunds } from './payment-refunds.ts';
import { PaymentRepository } from './payment.repository.ts';
import { PaymentSaga } from './payment-saga.ts';

/**
 * The payments process: subgraph server (refundOrder), the saga consumer (authorize / refund /
 * capture / refund approved returns) and
 * the outbox relay of 'payments'. The mock provider is the only provider so far; a real one
 * would be chosen here from the configuration.
 */
export async function start(
  config: Config,
  logger: Logger,
  provider: PaymentProvider = new MockPaymentProvider(),
): Promise<RunningServer> {
  const databaseUrl = databaseUrlOf(config, 'payments');
  const { value: server, close } = await openInOrder(async (onClose) => {
    const db = createPrismaClient(databaseUrl, { maxConnections: config.databasePoolSize });
    onClose(() => db.$disconnect());
    const bus = await createEventBus(config, { db, logger });
    onClose(() => bus.close());
    const relay = await startOutboxRelay({ db, bus, source: outboxSource, logger });
    onClose(() => relay.close());
    const repository = new PaymentRepository(db);
    const saga = new PaymentSaga(repository, provider, new PaymentRefunds(repository, provider));
    for (const consumer of consumers({ saga: saga.handleSagaEvent })) {
      const subscription = await startEventConsumer({ bus, db, logger, ...consumer });
      onClose(() => subscription.close());
    }
    const server = await startSubgraphServer(
      createPaymentsApp({
        db,
        verifier: createTokenVerifier(config.jwt),
        logger,
        provider,
        showInternalErrors: !config.isProduction,
      }),
      { port: config.ports.payments, host: config.host },
    );
    onClose(() => server.close());
    return server;
  });
  return { url: server.url, port: server.port, close };
}

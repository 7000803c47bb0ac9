import type { Config } from '@microshop/config';
import { createCache } from '@microshop/cache';
import { createPrismaClient, databaseUrlOf } from '@microshop/db';
import { createEventBus, startEventConsumer, startOutboxRelay } from '@microshop/events';
import { createMailer, DevelopmentMailer } from '@microshop/mail';
import {
  openInOrder,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@microshop/runtime';
import { CheckoutAddresses } from './address-book.service.ts';
import { AddressRepository } from './address.repository.ts';
import { AccountMailDelivery } from './account-mail.ts';
import { createUsersApp } from './app.ts';
import { consumers, outboxSource } from './events.ts';
import { loadSigningKeys } from './keys.ts';
import { scryptParametersFor } from './password.ts';
import { UserRepository } from './user.repository.ts';

/**
 * Starts the users subgraph and everything it owns: the server, the outbox relay of 'users', the
 * account-mail consumer with its Mailer and the consumer saving checkout addresses; `close()` stops all of it, newest first.
 */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  const databaseUrl = databaseUrlOf(config, 'users');
  const keys = await loadSigningKeys(config);
  const { value: server, close } = await openInOrder(async (onClose) => {
    const db = createPrismaClient(databaseUrl, { maxConnections: config.databasePoolSize });
    onClose(() => db.$disconnect());
    const cache = await createCache(config, { logger });
    onClose(() => cache.close());
    const bus = await createEventBus(config, { db, logger });
    onClose(() => bus.close());
    const relay = await startOutboxRelay({ db, bus, source: outboxSource, logger });
    onClose(() => relay.close());
    const mailer = await createMailer(config, { db });
    onClose(() => mailer.close());
    if (config.isProduction && mailer.kind === 'development') {
      logger.warn('MAIL_TRANSPORT is development in production: account mail is kept, not sent');
    }
    const delivery = new AccountMailDelivery({
      mailer,
      users: new UserRepository(db),
      storefrontUrl: config.accounts.storefrontUrl,
    });
    const checkoutAddresses = new CheckoutAddresses(new AddressRepository(db));
    for (const consumer of consumers({
      mail: delivery.handleAccountEmailRequested,
      orders: checkoutAddresses.handleOrderEvent,
    })) {
      const subscription = await startEventConsumer({ bus, db, logger, ...consumer });
      onClose(() => subscription.close());
    }
    const app = createUsersApp({
      db,
      cache,
      keys,
      jwt: config.jwt,
      scrypt: scryptParametersFor(config),
      logger,
      showInternalErrors: !config.isProduction,
      lifetimes: config.accounts,
      ...(mailer instanceof DevelopmentMailer && !config.isProduction
        ? { devMailbox: mailer }
        : {}),
    });
    const server = await startSubgraphServer(app, { port: config.ports.users, host: config.host });
    onClose(() => server.close());
    return server;
  });
  return { url: server.url, port: server.port, close };
}

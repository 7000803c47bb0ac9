import { createTokenVerifier } from '@microshop/auth';
import type { Config } from '@microshop/config';
import { createPrismaClient, type Db } from '@microshop/db';
import { createEventBus, startOutboxRelay } from '@microshop/events';
import { startSubgraphServer, type Logger, type RunningServer } from '@microshop/runtime';
import { createOrdersApp } from './app.ts';
import { ORDERS_OUTBOX_SOURCE } from './order-transitions.ts';
import { createShopUpstream } from './upstream.ts';

/** The orders database client; the embedded database is started by `npm start`, not here. */
export function connectOrdersDatabase(config: Config): Db {
  if (config.database.kind !== 'postgres') {
    throw new Error(
      'orders needs a PostgreSQL database: run `npm start` (which starts the embedded one and ' +
        'passes its URL) or set DATABASE_URL',
    );
  }
  return createPrismaClient(config.database.url);
}

/**
 * The orders API process: the subgraph server and the outbox relay of 'orders'. The relay lives
 * here, beside placeOrder (the busiest writer), rather than in the worker; it also publishes the
 * worker's rows, promptly (the worker's commits NOTIFY it). Several instances share the outbox
 * safely. The saga worker is a separate process (worker.ts).
 */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  const db = connectOrdersDatabase(config);
  const closers: (() => Promise<void>)[] = [() => db.$disconnect()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const bus = await createEventBus(config, { db, logger });
    closers.push(() => bus.close());
    const relay = await startOutboxRelay({ db, bus, source: ORDERS_OUTBOX_SOURCE, logger });
    closers.push(() => relay.close());
    const server = await startSubgraphServer(
      createOrdersApp({
        db,
        verifier: createTokenVerifier(config.jwt),
        logger,
        upstream: createShopUpstream({
          cart: config.subgraphUrls.cart,
          catalog: config.subgraphUrls.catalog,
        }),
        showInternalErrors: !config.isProduction,
      }),
      { port: config.ports.orders, host: config.host },
    );
    closers.push(() => server.close());
    return { url: server.url, port: server.port, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

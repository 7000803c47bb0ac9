import type { Config } from '@microshop/config';
import { createCache } from '@microshop/cache';
import { createPrismaClient } from '@microshop/db';
import { startSubgraphServer, type Logger, type RunningServer } from '@microshop/runtime';
import { createUsersApp } from './app.ts';
import { loadSigningKeys } from './keys.ts';
import { scryptParametersFor } from './password.ts';

/** Starts the users subgraph and everything it owns; `close()` stops all of it, newest first. */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  if (config.database.kind !== 'postgres') {
    throw new Error(
      'users: no PostgreSQL URL. Set DATABASE_URL, or run `npm start`, which starts the embedded database and passes its URL.',
    );
  }
  const keys = await loadSigningKeys(config);
  const opened: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of opened.splice(0).reverse()) await close();
  };
  try {
    const db = createPrismaClient(config.database.url);
    opened.push(() => db.$disconnect());
    const cache = await createCache(config, { logger });
    opened.push(() => cache.close());
    const app = createUsersApp({
      db,
      cache,
      keys,
      jwt: config.jwt,
      scrypt: scryptParametersFor(config),
      logger,
      showInternalErrors: !config.isProduction,
    });
    const server = await startSubgraphServer(app, { port: config.ports.users, host: config.host });
    opened.push(() => server.close());
    return { url: server.url, port: server.port, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

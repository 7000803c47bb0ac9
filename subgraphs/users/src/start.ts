import type { Config } from '@microshop/config';
import { createCache } from '@microshop/cache';
import { createPrismaClient, databaseUrlOf } from '@microshop/db';
import {
  openInOrder,
  startSubgraphServer,
  type Logger,
  type RunningServer,
} from '@microshop/runtime';
import { createUsersApp } from './app.ts';
import { loadSigningKeys } from './keys.ts';
import { scryptParametersFor } from './password.ts';

/** Starts the users subgraph and everything it owns; `close()` stops all of it, newest first. */
export async function start(config: Config, logger: Logger): Promise<RunningServer> {
  const databaseUrl = databaseUrlOf(config, 'users');
  const keys = await loadSigningKeys(config);
  const { value: server, close } = await openInOrder(async (onClose) => {
    const db = createPrismaClient(databaseUrl, { maxConnections: config.databasePoolSize });
    onClose(() => db.$disconnect());
    const cache = await createCache(config, { logger });
    onClose(() => cache.close());
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
    onClose(() => server.close());
    return server;
  });
  return { url: server.url, port: server.port, close };
}

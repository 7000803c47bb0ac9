import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, createPrismaClient, type Db } from '@microshop/db';
import { requireBackend } from './backends.ts';

export interface TestDatabase {
  prisma: Db;
  /** DATABASE_URL of this schema (with `?schema=`), for code under test that connects itself. */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/** A unique lowercase prefix for Redis keys, Kafka topics and groups, and index names. */
export function testNamespace(label = 't'): string {
  return `${label}${randomBytes(5).toString('hex')}-`;
}

/**
 * A fresh PostgreSQL schema on the real server with every migration applied, so test files
 * never share rows and can run in parallel.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = requireBackend('DATABASE_URL');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const url = new URL(baseUrl);
  url.searchParams.set('schema', schema);
  await applyMigrations(url.toString());
  const prisma = createPrismaClient(url.toString(), { maxConnections: 20 });
  return {
    prisma,
    url: url.toString(),
    schema,
    async drop() {
      await prisma.$disconnect();
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBackend } from '@microshop/testing';
import {
  applyMigrations,
  createPrismaClient,
  queryPrepared,
  readMigrations,
  startEmbeddedPostgres,
} from '../src/index.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

interface Backend {
  url: string;
  close(): Promise<void>;
}

/** The database port's two implementations: the configured server and the embedded one. */
const backends: Record<string, () => Promise<Backend>> = {
  postgres: async () => {
    const base = requireBackend('DATABASE_URL');
    const schema = `test_db_contract_${process.pid}`;
    return {
      url: `${base}?schema=${schema}`,
      close: async () => {
        const admin = new pg.Client({ connectionString: base });
        await admin.connect();
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await admin.end();
      },
    };
  },
  embedded: async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'microshop-embedded-'));
    // As root, PostgreSQL runs as a dedicated user that must be able to reach the data folder.
    await chmod(dataDir, 0o755);
    const server = await startEmbeddedPostgres({ port: await freePort(), dataDir });
    return {
      url: server.url,
      close: async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

describe.each(Object.keys(backends))('database port: %s', (name) => {
  let backend: Backend;
  afterAll(async () => backend?.close());

  it('applies every migration of the repository and serves Prisma queries and transactions', async () => {
    backend = await backends[name]!();
    const migrations = await readMigrations();
    const result = await applyMigrations(backend.url);
    expect(result.applied).toEqual(migrations.map((migration) => migration.name));

    const prisma = createPrismaClient(backend.url);
    try {
      const recorded = await prisma.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
      expect(Number(recorded[0]!.count)).toBe(migrations.length);

      await prisma.$executeRaw`CREATE TABLE contract_probe (value int)`;
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.$executeRaw`INSERT INTO contract_probe VALUES (1)`;
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO contract_probe VALUES (2)`;
      });
      const rows = await prisma.$queryRaw<{ value: number }[]>`SELECT value FROM contract_probe`;
      expect(rows).toEqual([{ value: 2 }]);

      // A prepared read sees the same schema and rows on the pool, and inside a transaction.
      const atLeast = (min: number) => ({
        name: 'contract-probe-at-least',
        text: 'SELECT value, now()::timestamptz AS at FROM contract_probe WHERE value >= $1',
        values: [min],
      });
      const prepared = await queryPrepared<{ value: number; at: Date }>(prisma, atLeast(1));
      expect(prepared).toEqual([{ value: 2, at: expect.any(Date) }]);
      expect(await queryPrepared(prisma, atLeast(3))).toEqual([]);
      const inTransaction = await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO contract_probe VALUES (5)`;
        return queryPrepared<{ value: number }>(tx, atLeast(3));
      });
      expect(inTransaction).toEqual([{ value: 5, at: expect.any(Date) }]);
    } finally {
      await prisma.$disconnect();
    }
  });
});

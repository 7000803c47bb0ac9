import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBackend } from '@microshop/testing';
import {
  applyMigrations,
  migrationChecksum,
  MigrationError,
  readMigrations,
} from '../src/index.ts';

const baseUrl = requireBackend('DATABASE_URL');
const schema = `test_migrate_${process.pid}_${Date.now()}`;
const url = `${baseUrl}?schema=${schema}`;
let admin: pg.Client;
let dir: string;

async function writeMigration(name: string, sql: string) {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  await writeMigration('20260101000000_first', 'CREATE TABLE "things" ("id" TEXT PRIMARY KEY);\n');
  await writeMigration('20260102000000_second', 'ALTER TABLE "things" ADD COLUMN "name" TEXT;\n');
});

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

describe('applyMigrations', () => {
  it('applies pending migrations in order and records them as prisma migrate deploy does', async () => {
    const result = await applyMigrations(url, { dir });
    expect(result.applied).toEqual(['20260101000000_first', '20260102000000_second']);

    const { rows } = await admin.query(
      `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at
         FROM "${schema}"."_prisma_migrations" ORDER BY migration_name`,
    );
    const files = await readMigrations(dir);
    expect(rows.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual(
      files.map((file) => [file.name, file.checksum, 1]),
    );
    expect(
      rows.every((row) => row.finished_at instanceof Date && row.rolled_back_at === null),
    ).toBe(true);
    // Prisma's checksum is the SHA-256 of the script text.
    expect(files[0]!.checksum).toBe(
      migrationChecksum('CREATE TABLE "things" ("id" TEXT PRIMARY KEY);\n'),
    );
    const columns = await admin.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'things' ORDER BY column_name`,
      [schema],
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(['id', 'name']);
  });

  it('is idempotent', async () => {
    const result = await applyMigrations(url, { dir });
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toHaveLength(2);
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    await writeMigration('20260101000000_first', 'CREATE TABLE "things" ("id" INT PRIMARY KEY);\n');
    await expect(applyMigrations(url, { dir })).rejects.toThrow(MigrationError);
    await writeMigration(
      '20260101000000_first',
      'CREATE TABLE "things" ("id" TEXT PRIMARY KEY);\n',
    );
  });

  it('records a failed migration, rolls its statements back, and blocks later runs', async () => {
    await writeMigration(
      '20260103000000_broken',
      'CREATE TABLE "half_written" ("id" TEXT);\nSELECT * FROM "no_such_table";\n',
    );
    await expect(applyMigrations(url, { dir })).rejects.toThrow(/no_such_table/);
    const halfWritten = await admin.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half_written'`,
      [schema],
    );
    expect(halfWritten.rowCount).toBe(0);
    const { rows } = await admin.query(
      `SELECT finished_at, logs FROM "${schema}"."_prisma_migrations" WHERE migration_name = '20260103000000_broken'`,
    );
    expect(rows[0]?.finished_at).toBeNull();
    expect(rows[0]?.logs).toMatch(/no_such_table/);
    await expect(applyMigrations(url, { dir })).rejects.toThrow(/failed earlier/);
  });
});

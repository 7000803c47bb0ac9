import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@microshop/testing';
import { findSchemaDrift } from '../src/index.ts';

let database: TestDatabase;
afterAll(() => database?.drop());

describe('migrations and the Prisma schema', () => {
  it('agree: the migrated database has exactly the tables, columns, keys and indexes of prisma/schema', async () => {
    database = await createTestDatabase();
    expect(await findSchemaDrift(database.url)).toEqual([]);
  });

  it('notice a difference', async () => {
    await database.prisma.$executeRawUnsafe('CREATE TABLE drift_probe (id int)');
    expect(await findSchemaDrift(database.url)).toContain(
      'table drift_probe is not in the Prisma schema',
    );
  });
});

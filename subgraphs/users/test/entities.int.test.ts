import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaPg } from '@prisma/adapter-pg';
import { parseDatabaseUrl, PrismaClient, type Db } from '@microshop/db';
import {
  SIGN_UP,
  startUsersForTest,
  type AuthPayloadShape,
  type UsersUnderTest,
} from './harness.ts';

/** SQL statements the users subgraph sends, seen through Prisma's query log. */
const statements: string[] = [];

function countingClient(url: string): Db {
  const { connectionString, schema } = parseDatabaseUrl(url);
  const client = new PrismaClient({
    adapter: new PrismaPg(
      { connectionString, ...(schema ? { options: `-c search_path="${schema}",public` } : {}) },
      schema ? { schema } : undefined,
    ),
    log: [{ emit: 'event', level: 'query' }],
  });
  client.$on('query', (event) => statements.push(event.query));
  return client;
}

let users: UsersUnderTest;
beforeAll(async () => {
  users = await startUsersForTest({ db: (database) => countingClient(database.url) });
});
afterAll(async () => {
  await users?.close();
});

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id email name role } }
}`;

describe('User entity', () => {
  it('resolves N references with one SQL query, in order, null for unknown ids', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await users.gql<{ signUp: AuthPayloadShape }>(SIGN_UP, {
        input: {
          email: `entity-${i}@example.com`,
          password: 'Entity-passw0rd',
          name: `Entity ${i}`,
        },
      });
      created.push(response.body.data!.signUp.user!.id);
    }
    const ids = [...created].reverse();
    const representations = [
      ...ids.map((id) => ({ __typename: 'User', id })),
      { __typename: 'User', id: '00000000-0000-4000-8000-000000000000' },
      { __typename: 'User', id: 'not-a-uuid' },
    ];

    statements.length = 0;
    const response = await users.gql<{
      _entities: Array<{ id: string; email: string; role: string } | null>;
    }>(ENTITIES, {
      representations,
    });
    expect(response.body.errors).toBeUndefined();
    const entities = response.body.data!._entities;
    expect(entities.slice(0, 5).map((user) => user?.id)).toEqual(ids);
    expect(entities[0]).toMatchObject({ email: 'entity-4@example.com', role: 'CUSTOMER' });
    expect(entities.slice(5)).toEqual([null, null]);
    const userQueries = statements.filter((sql) => /FROM\s+"[^"]+"\."users"/i.test(sql));
    expect(userQueries).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@microshop/e2e';
import { DEFAULT_OPERATION_LIMITS, OPERATION_LIMIT_EXCEEDED } from '@microshop/gateway';

/**
 * HTTP batching turned on (`GRAPHQL_MAX_BATCH_SIZE=3`) in production: a batch up to the cap runs,
 * one over is refused whole before anything is parsed, and each operation of a batch still meets
 * the operation limits on its own. (Batching off, the default, is in hostile-queries.e2e.test.ts.)
 */

const MAX_BATCH = 3;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    overrides: { NODE_ENV: 'production', GRAPHQL_MAX_BATCH_SIZE: String(MAX_BATCH) },
  });
});

afterAll(async () => {
  await stack?.close();
});

interface Result {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function postBatch(operations: { query: string }[]) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(operations),
  });
  return { status: response.status, body: (await response.json()) as Result[] | Result };
}

const categories = { query: 'query Categories { categories { id } }' };

describe('HTTP batching with GRAPHQL_MAX_BATCH_SIZE', () => {
  it('runs a batch of up to the cap and answers each operation in order', async () => {
    const { status, body } = await postBatch([categories, { query: '{ __typename }' }, categories]);
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    const results = body as Result[];
    expect(results).toHaveLength(MAX_BATCH);
    expect(results[0]).toEqual({ data: { categories: expect.any(Array) } });
    expect(results[1]).toEqual({ data: { __typename: 'Query' } });
    expect(results[2]).toEqual(results[0]);
  });

  it('refuses a batch one over the cap as a whole, with the request id', async () => {
    const { status, body } = await postBatch(
      Array.from({ length: MAX_BATCH + 1 }, () => categories),
    );
    expect(status).toBe(400);
    const { errors } = body as Result;
    expect(errors).toHaveLength(1);
    expect(errors?.[0]?.message).toBe(`A batch may hold at most ${MAX_BATCH} operations`);
    expect(errors?.[0]?.extensions).toMatchObject({
      code: OPERATION_LIMIT_EXCEEDED,
      requestId: expect.any(String),
    });
  });

  it('holds every operation of a batch to the operation limits', async () => {
    const aliases = Array.from(
      { length: DEFAULT_OPERATION_LIMITS.maxAliases + 1 },
      (_, index) => `c${index}: categories { id }`,
    );
    const tooManyAliases = `{ ${aliases.join(' ')} }`;
    const { body } = await postBatch([categories, { query: tooManyAliases }]);
    const results = body as Result[];
    expect(results[0]).toEqual({ data: { categories: expect.any(Array) } });
    expect(results[1]?.data).toBeUndefined();
    expect(results[1]?.errors?.[0]?.extensions?.code).toBe(OPERATION_LIMIT_EXCEEDED);
  });
});

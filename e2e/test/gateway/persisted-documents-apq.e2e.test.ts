import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache, type Cache } from '@microshop/cache';
import { requireBackend } from '@microshop/testing';
import { startStack, type Stack } from '@microshop/e2e';
import { APQ_MAX_DOCUMENT_BYTES } from '@microshop/gateway';

/**
 * Automatic persisted queries through the HTTP gateway, with the cache in the real Redis: a
 * document registered once (hash + text) then runs by its hash alone, and a document the operation
 * limits refuse is never stored.
 */

let stack: Stack;
/** The real Redis without a namespace prefix, to look at the gateway's keys as they are stored. */
let redis: Cache;

beforeAll(async () => {
  const url = requireBackend('REDIS_URL');
  stack = await startStack({ overrides: { REDIS_URL: url } });
  redis = await createCache({ redis: { kind: 'redis', url }, namespace: '' });
});

afterAll(async () => {
  await redis?.close();
  await stack?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

const persistedQuery = (query: string) => ({
  persistedQuery: { version: 1, sha256Hash: sha256(query) },
});
/** Where the gateway stores a document: NAMESPACE prefix, Apollo's `apq:` prefix, the hash. */
const storedKey = (query: string) => `${stack.config.namespace}:apq:${sha256(query)}`;

describe('automatic persisted queries', () => {
  it('runs on the real Redis of this test run', () => {
    expect(stack.config.redis.kind).toBe('redis');
    expect(stack.config.gateway.persistedDocuments.mode).toBe('apq');
  });

  it('misses an unknown hash with PERSISTED_QUERY_NOT_FOUND, then registers and hits it', async () => {
    // A document of this test alone, so no earlier request can have registered it.
    const query = `query CategoriesApq${Date.now()} { categories { id name } }`;
    const miss = await post({ extensions: persistedQuery(query) });
    expect(miss.status).toBe(200); // what Apollo's APQ protocol answers; the client then registers
    expect(miss.errors?.map((error) => error.extensions?.code)).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    expect(await redis.get(storedKey(query))).toBeNull();

    const registered = await post({ query, extensions: persistedQuery(query) });
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ categories: expect.any(Array) });
    // Apollo Server stores it after answering; the store is one Redis round trip away.
    await expect.poll(() => redis.get(storedKey(query))).toBe(query);

    const hit = await post({ extensions: persistedQuery(query) });
    expect(hit.status).toBe(200);
    expect(hit.errors).toBeUndefined();
    expect(hit.data).toEqual(registered.data);
  });

  it('runs a stored document by hash with GET, as a CDN-friendly client sends it', async () => {
    const query = `query CategoriesGet${Date.now()} { categories { id } }`;
    await post({ query, extensions: persistedQuery(query) });
    await expect.poll(() => redis.get(storedKey(query))).toBe(query);
    const url = new URL(stack.gatewayUrl);
    url.searchParams.set('extensions', JSON.stringify(persistedQuery(query)));
    const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { categories: expect.any(Array) } });
  });

  it('refuses a hash that does not match the text sent with it', async () => {
    const answer = await post({
      query: '{ categories { id } }',
      extensions: persistedQuery('{ categories { name } }'),
    });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.message).toBe('provided sha does not match query');
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await redis.get(storedKey('{ categories { id } }'))).toBeNull();
  });

  it('never stores a document the operation limits refuse', async () => {
    // Depth 12 (order → payment → order → …), over the limit of 10.
    const cycle = 'payment { order { '.repeat(5);
    const deep = `query DeepApq${Date.now()} { order(id: "1") { ${cycle}id${' } }'.repeat(5)} } }`;
    const answer = await post({ query: deep, extensions: persistedQuery(deep) });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'OPERATION_LIMIT_EXCEEDED' });
    const retry = await post({ extensions: persistedQuery(deep) });
    expect(retry.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await redis.get(storedKey(deep))).toBeNull();
  });

  it('never stores a document that does not validate', async () => {
    const invalid = `query Invalid${Date.now()} { categories { noSuchField } }`;
    const answer = await post({ query: invalid, extensions: persistedQuery(invalid) });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await redis.get(storedKey(invalid))).toBeNull();
  });

  it('runs but does not store a document above the size cap', async () => {
    const padding = ' '.repeat(APQ_MAX_DOCUMENT_BYTES);
    const large = `query Large${Date.now()} {${padding}categories { id } }`;
    const answer = await post({ query: large, extensions: persistedQuery(large) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ categories: expect.any(Array) });
    // A small document sent afterwards is stored: by then the large one would have been too.
    const small = `query SmallAfterLarge${Date.now()} { categories { id } }`;
    await post({ query: small, extensions: persistedQuery(small) });
    await expect.poll(() => redis.get(storedKey(small))).toBe(small);
    expect(await redis.get(storedKey(large))).toBeNull();
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  CategoriesDocument,
  ProductsDocument,
  createClient as createShopClient,
} from '@microshop/client';
import { loadConfig } from '@microshop/config';
import { createLogger } from '@microshop/runtime';
import { startStack, type Stack } from '@microshop/e2e';
import {
  DEFAULT_MANIFEST_PATH,
  PERSISTED_QUERY_NOT_IN_LIST,
  startGateway,
} from '@microshop/gateway';

/**
 * Trusted-documents mode through the HTTP gateway and graphql-ws, in production: only the typed
 * client's manifest documents run, named by hash (Apollo's persistedQuery extension or a
 * GraphQL-over-HTTP documentId) or sent as their exact text; everything else is refused before it
 * is parsed.
 */

let stack: Stack;
let manifest: Record<string, string>;
const sockets: Client[] = [];

beforeAll(async () => {
  manifest = JSON.parse(await readFile(DEFAULT_MANIFEST_PATH, 'utf8')) as Record<string, string>;
  stack = await startStack({
    overrides: { NODE_ENV: 'production', PERSISTED_DOCUMENTS: 'trusted' },
  });
});

afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await stack?.close();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The manifest's document for an operation, found by name so a regenerated client still fits. */
function manifestDocument(operation: string): { id: string; hash: string; text: string } {
  const entry = Object.entries(manifest).find(([, text]) =>
    new RegExp(`\\b(query|mutation|subscription) ${operation}\\b`).test(text),
  );
  if (!entry) throw new Error(`No ${operation} operation in the persisted-documents manifest`);
  const [id, text] = entry;
  return { id, hash: id.replace(/^sha256:/, ''), text };
}

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post(body: unknown, token?: string): Promise<Answer> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

function expectNotInList(answer: Answer) {
  expect(answer.status).toBe(400);
  expect(answer.data).toBeUndefined();
  expect(answer.errors).toEqual([
    {
      message: 'Only the persisted documents of this API may be executed',
      extensions: { code: PERSISTED_QUERY_NOT_IN_LIST, requestId: expect.any(String) },
    },
  ]);
}

const byHash = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('trusted documents over HTTP', () => {
  it('is the mode this stack runs in', () => {
    expect(stack.config.gateway.persistedDocuments.mode).toBe('trusted');
    expect(stack.config.isProduction).toBe(true);
  });

  it('refuses an operation that is not in the manifest, however small', async () => {
    expectNotInList(await post({ query: '{ __typename }' }));
    expectNotInList(await post({ query: '{ categories { id name slug } }' }));
  });

  it('refuses before parsing: broken syntax and unknown fields reveal nothing', async () => {
    expectNotInList(await post({ query: '{ categories { ' }));
    expectNotInList(await post({ query: '{ secretAdminField }' }));
  });

  it('refuses an unknown hash, by extension and by documentId', async () => {
    const unknown = sha256('query Unknown { categories { id } }');
    expectNotInList(await post({ extensions: byHash(unknown) }));
    expectNotInList(await post({ documentId: `sha256:${unknown}` }));
  });

  it('refuses a manifest hash sent with some other text', async () => {
    const categories = manifestDocument('Categories');
    expectNotInList(
      await post({ query: '{ categories { id } }', extensions: byHash(categories.hash) }),
    );
  });

  it('refuses a batch that hides one untrusted operation among trusted ones', async () => {
    const categories = manifestDocument('Categories');
    expectNotInList(
      await post([{ extensions: byHash(categories.hash) }, { query: '{ __typename }' }]),
    );
  });

  it('accepts a manifest document by hash, by documentId and by its exact text', async () => {
    const categories = manifestDocument('Categories');
    const asText = await post({ query: categories.text });
    expect(asText.errors).toBeUndefined();
    expect(asText.data).toEqual({ categories: expect.any(Array) });
    expect(await post({ extensions: byHash(categories.hash) })).toEqual(asText);
    expect(await post({ documentId: categories.id })).toEqual(asText);
    // An APQ client's registration request (hash and text together) is a trusted request too.
    expect(await post({ query: categories.text, extensions: byHash(categories.hash) })).toEqual(
      asText,
    );
  });

  it('accepts a manifest document by hash with GET, and refuses another one', async () => {
    const categories = manifestDocument('Categories');
    const trusted = new URL(stack.gatewayUrl);
    trusted.searchParams.set('extensions', JSON.stringify(byHash(categories.hash)));
    // A GET has no JSON content type: Apollo's CSRF prevention wants a non-simple header instead.
    const preflighted = { headers: { 'apollo-require-preflight': 'true' } };
    const accepted = await fetch(trusted, preflighted);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ data: { categories: expect.any(Array) } });

    const untrusted = new URL(stack.gatewayUrl);
    untrusted.searchParams.set('query', '{ categories { id } }');
    const refused = await fetch(untrusted, preflighted);
    expectNotInList({ status: refused.status, ...((await refused.json()) as object) });
  });

  it('serves the typed client, which sends hashes only in persisted mode and the manifest text otherwise', async () => {
    const shop = createShopClient({ url: stack.gatewayUrl, persisted: true });
    const { categories } = await shop.request(CategoriesDocument);
    expect(categories).toEqual(expect.any(Array));
    const { products } = await shop.request(ProductsDocument, { first: 5 });
    expect(products.edges.length).toBeLessThanOrEqual(5);
    // In text mode it sends the manifest's text, which is accepted byte for byte.
    const textual = createShopClient({ url: stack.gatewayUrl });
    expect((await textual.request(CategoriesDocument)).categories).toEqual(categories);
  });

  it('runs a manifest mutation with variables and a signed-in manifest query', async () => {
    const signUp = manifestDocument('SignUp');
    const email = `trusted-${randomUUID()}@example.com`;
    const signedUp = await post({
      extensions: byHash(signUp.hash),
      variables: { input: { email, password: `Pw-${randomUUID()}`, name: 'Trusted Client' } },
    });
    expect(signedUp.errors).toBeUndefined();
    const { accessToken } = (signedUp.data as { signUp: { accessToken: string } }).signUp;
    expect(accessToken).toEqual(expect.any(String));

    const me = await post({ extensions: byHash(manifestDocument('Me').hash) }, accessToken);
    expect(me.errors).toBeUndefined();
    expect(me.data).toMatchObject({ me: { email } });
  });
});

describe('trusted documents over graphql-ws', () => {
  function connect(): Client {
    const socket = createClient({
      url: stack.gatewayUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    sockets.push(socket);
    return socket;
  }

  /** The first thing the server answers to one subscribe: an error list, or 'next'/'complete'. */
  function firstAnswer(
    socket: Client,
    payload: { query: string; variables?: Record<string, unknown> },
  ): Promise<unknown> {
    return new Promise((resolve) => {
      const unsubscribe = socket.subscribe(payload, {
        next: () => {
          unsubscribe();
          resolve('next');
        },
        error: (error) => resolve(error),
        complete: () => resolve('complete'),
      });
    });
  }

  const codesOf = (answer: unknown) =>
    Array.isArray(answer)
      ? answer.map((error: { extensions?: { code?: unknown } }) => error.extensions?.code)
      : answer;

  it('refuses a subscription that is not in the manifest', async () => {
    const answer = await firstAnswer(connect(), {
      query: 'subscription Mine($id: ID!) { orderStatusChanged(orderId: $id) { id status } }',
      variables: { id: randomUUID() },
    });
    expect(codesOf(answer)).toEqual([PERSISTED_QUERY_NOT_IN_LIST]);
  });

  it('lets the manifest subscription through to its own checks', async () => {
    const subscription = manifestDocument('OrderStatusChanged');
    // Anonymous: past the trusted-documents gate, the order's access check refuses it.
    const answer = await firstAnswer(connect(), {
      query: subscription.text,
      variables: { orderId: randomUUID() },
    });
    expect(codesOf(answer)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('trusted documents at start', () => {
  it('refuses to start when the manifest is missing, naming it and the variable', async () => {
    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      GATEWAY_PORT: '0',
      PERSISTED_DOCUMENTS: 'trusted',
      PERSISTED_DOCUMENTS_MANIFEST: '/nonexistent/persisted-documents.json',
    });
    await expect(startGateway(config, createLogger('gateway', config))).rejects.toThrow(
      /PERSISTED_DOCUMENTS=trusted cannot read the persisted-documents manifest \/nonexistent\/persisted-documents\.json \(PERSISTED_DOCUMENTS_MANIFEST\)/,
    );
  });
});

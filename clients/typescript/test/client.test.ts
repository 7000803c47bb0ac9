import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as generated from '../src/gql/graphql.ts';
import {
  GraphQLRequestError,
  MeDocument,
  ProductsDocument,
  createClient,
  type MeQuery,
} from '../src/index.ts';

const manifest = JSON.parse(
  readFileSync(new URL('../src/gql/persisted-documents.json', import.meta.url), 'utf8'),
) as Record<string, string>;

/** The manifest's text of a generated document (keyed by the hash the document carries). */
function manifestText(document: { __meta__?: Record<string, unknown> }): string {
  return manifest[String(document.__meta__?.hash)] ?? '';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const OPERATIONS = [
  'SignUp',
  'LogIn',
  'Me',
  'Products',
  'Product',
  'SearchProducts',
  'Cart',
  'AddToCart',
  'UpdateCartItem',
  'RemoveFromCart',
  'PlaceOrder',
  'Order',
  'MyOrders',
  'CancelOrder',
  'OrderStatusChanged',
];

describe('the persisted-documents manifest', () => {
  it('holds every storefront operation, keyed by the sha256 of its exact text', () => {
    for (const operation of OPERATIONS) {
      const document = (generated as Record<string, unknown>)[`${operation}Document`] as
        { __meta__?: { hash?: string } } | undefined;
      expect(document, operation).toBeDefined();
      const hash = document?.__meta__?.hash ?? '';
      expect(manifest[hash], operation).toMatch(
        new RegExp(`(query|mutation|subscription) ${operation}\\b`),
      );
    }
    for (const [key, text] of Object.entries(manifest)) {
      expect(key).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
    }
  });
});

describe('createClient', () => {
  let server: Server;
  let url: string;
  let received: { headers: IncomingMessage['headers']; body: Record<string, any> }[] = [];
  let reply: { status: number; body: string } = { status: 200, body: '{}' };
  /** Answers for the next requests, in order, before `reply` takes over. */
  let replies: { status: number; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) as Record<string, any> });
        const answer = replies.shift() ?? reply;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received = [];
    replies = [];
  });

  it('posts the document and variables with the bearer token and returns the data', async () => {
    const me: MeQuery = {
      me: {
        id: 'u1',
        email: 'ada@example.com',
        name: 'Ada',
        role: 'CUSTOMER',
        createdAt: '2026-01-01T00:00:00.000Z',
        emailVerified: false,
        emailVerifiedAt: null,
      },
    };
    reply = { status: 200, body: JSON.stringify({ data: me }) };
    const client = createClient({ url, token: 'token-1' });

    await expect(client.request(MeDocument)).resolves.toEqual(me);
    await client.request(ProductsDocument, { first: 5 });

    expect(received[0]?.headers.authorization).toBe('Bearer token-1');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    // The manifest's text of each document: the exact text its hash is the sha256 of.
    expect(received[0]?.body).toEqual({ query: manifestText(MeDocument) });
    expect(received[1]?.body).toEqual({
      query: manifestText(ProductsDocument),
      variables: { first: 5 },
    });
    expect(sha256(manifestText(MeDocument))).toBe(
      String(MeDocument.__meta__?.hash).slice('sha256:'.length),
    );
  });

  it('sends only the hash in persisted mode, which the manifest resolves', async () => {
    reply = { status: 200, body: JSON.stringify({ data: { me: null } }) };
    await createClient({ url, persisted: true }).request(MeDocument);

    const body = received[0]?.body ?? {};
    expect(body.query).toBeUndefined();
    expect(received[0]?.headers.authorization).toBeUndefined();
    const sha256Hash: string = body.extensions.persistedQuery.sha256Hash;
    expect(body.extensions.persistedQuery.version).toBe(1);
    expect(manifest[`sha256:${sha256Hash}`]).toMatch(
      /^fragment AccountFields on User .* query Me \{/,
    );
  });

  it('sends the manifest text once when an APQ gateway does not know the hash yet', async () => {
    const notFound = {
      status: 200,
      body: JSON.stringify({
        errors: [
          { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
        ],
      }),
    };
    replies = [notFound];
    reply = { status: 200, body: JSON.stringify({ data: { me: null } }) };
    await expect(createClient({ url, persisted: true }).request(MeDocument)).resolves.toEqual({
      me: null,
    });
    expect(received).toHaveLength(2);
    const [byHash, withText] = received.map((request) => request.body);
    expect(byHash?.query).toBeUndefined();
    const hash: string = byHash?.extensions.persistedQuery.sha256Hash;
    expect(withText?.extensions.persistedQuery).toEqual({ version: 1, sha256Hash: hash });
    expect(withText?.query).toBe(manifest[`sha256:${hash}`]);
    expect(createHash('sha256').update(withText?.query).digest('hex')).toBe(hash);
  });

  it('does not send the text to a trusted-documents gateway that refuses the hash', async () => {
    reply = {
      status: 400,
      body: JSON.stringify({
        errors: [{ message: 'not allowed', extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }],
      }),
    };
    const failure = await createClient({ url, persisted: true })
      .request(MeDocument)
      .catch((error: unknown) => error);
    expect((failure as GraphQLRequestError).codes).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    expect(received).toHaveLength(1);
  });

  it('throws GraphQLRequestError with the status, codes and partial data', async () => {
    reply = {
      status: 400,
      body: JSON.stringify({
        errors: [
          {
            message: 'too deep',
            extensions: { code: 'OPERATION_LIMIT_EXCEEDED', requestId: 'r1' },
          },
        ],
      }),
    };
    const failure = await createClient({ url })
      .request(MeDocument)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect((failure as GraphQLRequestError).status).toBe(400);
    expect((failure as GraphQLRequestError).codes).toEqual(['OPERATION_LIMIT_EXCEEDED']);

    reply = {
      status: 200,
      body: JSON.stringify({ data: { me: null }, errors: [{ message: 'partial' }] }),
    };
    const partial = await createClient({ url }).execute(MeDocument);
    expect(partial).toEqual({ status: 200, data: { me: null }, errors: [{ message: 'partial' }] });
  });

  it('reports a response that is not GraphQL', async () => {
    reply = { status: 502, body: '<html>Bad gateway</html>' };
    const failure = (await createClient({ url })
      .request(MeDocument)
      .catch((error: unknown) => error)) as GraphQLRequestError;
    expect(failure).toBeInstanceOf(GraphQLRequestError);
    expect(failure.status).toBe(502);
    expect(failure.message).toMatch(/Not a GraphQL response: <html>Bad gateway/);
  });
});

import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lexer, Source, TokenKind, getIntrospectionQuery } from 'graphql';
import { startStack, type Stack } from '@microshop/e2e';
import {
  DEFAULT_OPERATION_LIMITS as limits,
  OPERATION_LIMIT_EXCEEDED,
  type OperationLimitName,
} from '@microshop/gateway';

/**
 * Hostile requests through the real HTTP gateway of the whole stack, in production: every
 * operation limit one over, overloading, fragment cycles and bombs, the `__schema` name bypass,
 * batches, oversized and malformed bodies, wrong content types and methods. Each is refused with
 * its code and status, fast, without leaking internals; afterwards the gateway still answers.
 * (gateway/test/operation-limits.test.ts covers the limits in-process, each at its exact edge.)
 */

/**
 * Fail-fast guard, not a speed measurement: a refusal that takes longer than this has done the
 * work it should have refused (planned, called a subgraph, read a whole body). Refusals take
 * milliseconds; the bound is generous for a loaded 2-core CI machine.
 */
const FAIL_FAST_GUARD_MS = 2_000;

let stack: Stack;
/** host:port of every subgraph and of the gateway: none may appear in an answer. */
let internalHosts: string[];

beforeAll(async () => {
  stack = await startStack({ overrides: { NODE_ENV: 'production' } });
  internalHosts = [stack.gatewayUrl, ...Object.values(stack.config.subgraphUrls)].map(
    (url) => new URL(url).host,
  );
});

afterAll(async () => {
  await stack?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  errors: { message: string; extensions?: Record<string, unknown> }[];
  data?: unknown;
}

function expectNothingLeaked(text: string) {
  expect(text).not.toMatch(/\bat .*:\d+:\d+\)?/); // stack frames
  expect(text).not.toMatch(/stacktrace/i);
  expect(text).not.toMatch(/Did you mean/);
  expect(text).not.toMatch(/\b(select|insert|update|delete)\b[^"]*\b(from|into|set|where)\b/i);
  expect(text).not.toMatch(/prisma|postgres|kafka|redis|opensearch/i);
  expect(text).not.toMatch(/https?:\/\//);
  expect(text).not.toMatch(/localhost|127\.0\.0\.1|\[::1\]/);
  for (const host of internalHosts) expect(text).not.toContain(host);
}

/** Sends one request and checks what every answer here must satisfy: fast, nothing leaked. */
async function send(init: RequestInit & { search?: string }): Promise<Answer> {
  const url = new URL(stack.gatewayUrl);
  if (init.search) url.search = init.search;
  const startedAt = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  expect(performance.now() - startedAt).toBeLessThan(FAIL_FAST_GUARD_MS);
  expectNothingLeaked(text);
  let parsed: { errors?: Answer['errors']; data?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON (a bare 403/405 from the HTTP layer): the status says it all.
  }
  return {
    status: response.status,
    headers: response.headers,
    text,
    errors: parsed.errors ?? [],
    data: parsed.data,
  };
}

const json = { 'content-type': 'application/json' };
const postQuery = (query: string, variables?: Record<string, unknown>) =>
  send({ method: 'POST', headers: json, body: JSON.stringify({ query, variables }) });
const codesOf = (answer: Answer) => answer.errors.map((error) => error.extensions?.code);

/** Refused by an operation limit: HTTP 400, nothing executed, the limit named, the request id set. */
async function expectLimit(query: string, limit?: OperationLimitName) {
  const answer = await postQuery(query);
  expect(answer.status).toBe(400);
  expect(answer.data).toBeUndefined();
  const refusal = answer.errors.find(
    (error) => error.extensions?.code === OPERATION_LIMIT_EXCEEDED,
  );
  expect(refusal, answer.text).toBeDefined();
  expect(refusal?.extensions?.requestId).toEqual(expect.any(String));
  if (limit) expect(refusal?.extensions?.limit).toBe(limit);
  return answer;
}

/** Not refused by any limit (it may still fail further on, e.g. UNAUTHENTICATED). */
async function expectWithinLimits(query: string) {
  const answer = await postQuery(query);
  expect(codesOf(answer), answer.text).not.toContain(OPERATION_LIMIT_EXCEEDED);
  expect(codesOf(answer), answer.text).not.toContain('GRAPHQL_VALIDATION_FAILED');
}

async function expectRefused(answer: Answer | Promise<Answer>, status: number, code: string) {
  const { status: actual, errors, text } = await answer;
  expect(actual, text).toBe(status);
  expect(errors.map((error) => error.extensions?.code)).toContain(code);
  for (const error of errors) expect(error.extensions?.requestId).toEqual(expect.any(String));
}

/** `order(id) { payment { order { payment { … id } } } }`: exactly `depth` levels of fields. */
function deepQuery(depth: number, operation = 'query'): string {
  let selection = 'id';
  for (let level = depth - 1; level >= 2; level -= 1) {
    selection = `${level % 2 === 0 ? 'payment' : 'order'} { ${selection} }`;
  }
  return `${operation} { order(id: "00000000-0000-0000-0000-000000000000") { ${selection} } }`;
}

const tokenCount = (document: string) => {
  const lexer = new Lexer(new Source(document));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  return tokens;
};

describe('each operation limit, one over, through HTTP', () => {
  it('depth', async () => {
    await expectWithinLimits(deepQuery(limits.maxDepth));
    await expectLimit(deepQuery(limits.maxDepth + 1), 'maxDepth');
  });

  it('aliases', async () => {
    const aliased = (count: number) =>
      `{ categories { ${Array.from({ length: count }, (_, index) => `a${index}: id`).join(' ')} } }`;
    await expectWithinLimits(aliased(limits.maxAliases));
    await expectLimit(aliased(limits.maxAliases + 1), 'maxAliases');
  });

  it('tokens', async () => {
    // 995 fields under five names: few enough repeats of each for graphql-js's own budget for
    // comparing same-named fields (which refuses ~1,000 repeats of one field by itself).
    const atLimit = `{ me { ${'id name email role createdAt '.repeat(199)}} }`;
    const withTokens = (tokens: number) =>
      tokens === limits.maxTokens ? atLimit : atLimit.replace('{ me {', '{ me { __typename');
    expect(tokenCount(withTokens(limits.maxTokens))).toBe(limits.maxTokens);
    expect(tokenCount(withTokens(limits.maxTokens + 1))).toBe(limits.maxTokens + 1);
    await expectWithinLimits(withTokens(limits.maxTokens));
    await expectLimit(withTokens(limits.maxTokens + 1), 'maxTokens');
  });

  it('directives', async () => {
    const directed = (count: number) =>
      `{ categories { ${'id @include(if: true) '.repeat(count)}} }`;
    await expectWithinLimits(directed(limits.maxDirectives));
    await expectLimit(directed(limits.maxDirectives + 1), 'maxDirectives');
  });

  it('root fields', async () => {
    const rootFields = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `c${index}: categories { id }`).join(' ')} }`;
    await expectWithinLimits(rootFields(limits.maxRootFields));
    await expectLimit(rootFields(limits.maxRootFields + 1), 'maxRootFields');
  });

  it('cost', async () => {
    // products(first: n) { edges { node { id } } } costs 1 + 3n; me { id … } 1 per field more.
    expect(limits.maxCost).toBe(5000);
    await expectWithinLimits(
      '{ products(first: 1665) { edges { node { id } } } me { id name email } }', // 5000
    );
    await expectLimit('{ products(first: 1666) { edges { node { id } } } me { id } }', 'maxCost'); // 5001
  });

  it('cost of a page size given as a variable', async () => {
    const answer = await postQuery(
      'query Page($first: Int) { products(first: $first) { edges { node { id name } } } }',
      { first: 1_000_000 },
    );
    await expectRefused(answer, 400, OPERATION_LIMIT_EXCEEDED);
  });
});

describe('overloading', () => {
  it('alias overloading', async () => {
    const aliases = Array.from({ length: 300 }, (_, index) => `a${index}: __typename`).join(' ');
    await expectLimit(`{ categories { ${aliases} } }`, 'maxAliases');
  });

  it('field overloading', async () => {
    await expectLimit(`{ categories { ${'name '.repeat(50_000)}} }`, 'maxTokens');
  });

  it('directive overloading on one field', async () => {
    await expectLimit(`{ categories { id ${'@include(if: true) '.repeat(200)}} }`);
  });
});

describe('fragments', () => {
  it('a fragment spreading itself', async () => {
    await expectRefused(
      postQuery('query { ...A } fragment A on Query { categories { id } ...A }'),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('fragments spreading each other', async () => {
    await expectRefused(
      postQuery(
        'query { order(id: "1") { ...A } } fragment A on Order { payment { order { ...B } } } fragment B on Order { ...A }',
      ),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('a fragment bomb that doubles at every level', async () => {
    const levels = 20;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1
        ? `fragment F${level} on Order { id }`
        : `fragment F${level} on Order { a: payment { order { ...F${level + 1} } } b: payment { order { ...F${level + 1} } } }`,
    );
    await expectLimit(`{ order(id: "1") { ...F0 } } ${fragments.join(' ')}`);
  });

  it('a fragment bomb of repeated spreads, without aliases', async () => {
    const levels = 30;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === 0
        ? 'fragment S0 on Category { id name slug }'
        : `fragment S${level} on Category { ...S${level - 1} ...S${level - 1} ...S${level - 1} }`,
    );
    const answer = await postQuery(`{ categories { ...S${levels - 1} } } ${fragments.join(' ')}`);
    // Execution merges the spreads, so this is legal and cheap: it must answer, not blow up.
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([]);
  });
});

describe('the __schema bypass', () => {
  const deep = deepQuery(limits.maxDepth + 3).replace(/^query /, '');

  it('an operation named __schema gets no introspection exemption', async () => {
    await expectLimit(`query __schema ${deep}`, 'maxDepth');
  });

  it('a fragment named __schema gets no introspection exemption', async () => {
    await expectLimit(`query { ...__schema } fragment __schema on Query ${deep}`, 'maxDepth');
  });

  it('a field aliased __schema gets no introspection exemption', async () => {
    await expectLimit(deep.replace('{ order(', '{ __schema: order('), 'maxDepth');
  });

  it('real introspection is off in production', async () => {
    await expectRefused(postQuery(getIntrospectionQuery()), 400, 'GRAPHQL_VALIDATION_FAILED');
  });
});

describe('the HTTP envelope', () => {
  it('a huge batch (batching is off)', async () => {
    const batch = Array.from({ length: 10_000 }, () => ({ query: '{ categories { id } }' }));
    const answer = await send({ method: 'POST', headers: json, body: JSON.stringify(batch) });
    await expectRefused(answer, 400, 'BAD_REQUEST');
    expect(answer.errors[0]?.message).toBe('Operation batching disabled.');
  });

  it('a declared 10 MB body is refused before it is sent', async () => {
    const tenMegabytes = 10 * 1024 * 1024;
    // Only the first 64 KiB are ever written: the answer must not wait for the rest.
    const { status, body, bytesSent } = await rawPost(tenMegabytes, 64 * 1024);
    expect(status).toBe(413);
    expect(bytesSent).toBeLessThan(tenMegabytes);
    expect(JSON.parse(body).errors[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expectNothingLeaked(body);
  });

  it('a 10 MB chunked body is refused once the limit is passed', async () => {
    const tenMegabytes = 10 * 1024 * 1024;
    const { status, body, bytesSent } = await rawPost(undefined, tenMegabytes);
    expect(status).toBe(413);
    expect(bytesSent).toBeLessThan(tenMegabytes);
    expect(JSON.parse(body).errors[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('malformed JSON', async () => {
    await expectRefused(
      send({ method: 'POST', headers: json, body: '{"query": "{ categories { id } }"' }),
      400,
      'BAD_REQUEST',
    );
  });

  it('JSON that is not a GraphQL request', async () => {
    await expectRefused(send({ method: 'POST', headers: json, body: '' }), 400, 'BAD_REQUEST');
    await expectRefused(
      send({ method: 'POST', headers: json, body: '"query"' }),
      400,
      'BAD_REQUEST',
    );
    await expectRefused(
      send({ method: 'POST', headers: json, body: JSON.stringify({ query: 42 }) }),
      400,
      'BAD_REQUEST',
    );
    await expectRefused(
      send({
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: '{ categories { id } }', variables: '{}' }),
      }),
      400,
      'BAD_REQUEST',
    );
  });

  it('variables nested a hundred thousand levels deep', async () => {
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const answer = await send({
      method: 'POST',
      headers: json,
      body: `{"query":"query Q($s: String) { products(filter: { categorySlug: $s }) { totalCount } }","variables":{"s":${nested}}}`,
    });
    await expectRefused(answer, 400, 'BAD_USER_INPUT');
  });

  it.each([
    ['text/plain', '{"query":"{ categories { id } }"}'],
    ['application/x-www-form-urlencoded', 'query=%7B%20categories%20%7B%20id%20%7D%20%7D'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\ncontent-disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--',
    ],
    ['application/graphql', '{ categories { id } }'],
  ])('a %s body', async (contentType, body) => {
    await expectRefused(
      send({ method: 'POST', headers: { 'content-type': contentType }, body }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('a POST without a content type is stopped by CSRF prevention', async () => {
    const answer = await send({
      method: 'POST',
      body: new Blob(['{"query":"{ categories { id } }"}']),
    });
    await expectRefused(answer, 400, 'BAD_REQUEST');
    expect(answer.errors[0]?.message).toMatch(/Cross-Site Request Forgery/);
  });

  it('a GET without a CSRF header is stopped by CSRF prevention', async () => {
    await expectRefused(send({ search: '?query=%7B__typename%7D' }), 400, 'BAD_REQUEST');
  });

  it('a mutation over GET', async () => {
    const answer = await send({
      search: `?query=${encodeURIComponent('mutation { logOut(refreshToken: "x") }')}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    await expectRefused(answer, 405, 'BAD_REQUEST');
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it('a method GraphQL does not use', async () => {
    const answer = await send({ method: 'PUT', headers: json, body: '{"query":"{ __typename }"}' });
    await expectRefused(answer, 405, 'BAD_REQUEST');
  });
});

describe('errors in production say no more than needed', () => {
  it('an unknown field, without "Did you mean"', async () => {
    const answer = await postQuery('{ categorie { id } }');
    await expectRefused(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(answer.errors[0]?.message).toBe('Cannot query field "categorie" on type "Query".');
  });

  it('an unknown argument and a mistyped input field in variables, without suggestions', async () => {
    await expectRefused(
      postQuery('{ products(frist: 1) { totalCount } }'),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    // graphql-js would add `Did you mean "categorySlug"?` (expectNothingLeaked checks it is gone).
    const answer = await postQuery(
      'query Q($filter: ProductFilter) { products(filter: $filter) { totalCount } }',
      { filter: { categorySlg: 'tea' } },
    );
    await expectRefused(answer, 400, 'BAD_USER_INPUT');
    expect(answer.errors[0]?.message).toMatch(/categorySlg/);
  });

  it('a syntax error', async () => {
    await expectRefused(postQuery('{ categories { id '), 400, 'GRAPHQL_PARSE_FAILED');
  });
});

describe('after the barrage', () => {
  it('still answers a normal query', async () => {
    const answer = await postQuery('{ categories { id name } products(first: 5) { totalCount } }');
    expect(answer.status).toBe(200);
    expect(answer.errors).toEqual([]);
    expect(answer.data).toMatchObject({ categories: expect.any(Array) });
  });

  it('is still ready', async () => {
    const response = await fetch(new URL('/health/ready', stack.gatewayUrl));
    expect(response.status).toBe(200);
  });
});

/**
 * A POST over a raw socket, to control how much of the body is sent: `declaredLength` sets
 * Content-Length (undefined: chunked); `sendUpTo` bytes are written in 64 KiB chunks, stopping as
 * soon as the answer arrives.
 */
function rawPost(
  declaredLength: number | undefined,
  sendUpTo: number,
): Promise<{ status: number; body: string; bytesSent: number }> {
  const url = new URL(stack.gatewayUrl);
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(declaredLength === undefined ? {} : { 'content-length': declaredLength }),
        },
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          expect(performance.now() - startedAt).toBeLessThan(FAIL_FAST_GUARD_MS);
          resolve({ status: res.statusCode ?? 0, body, bytesSent });
          req.destroy();
        });
      },
    );
    // The server closes the connection while the body is still coming: expected, not a failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const writeMore = () => {
      while (!answered && bytesSent < sendUpTo) {
        bytesSent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
    };
    writeMore();
  });
}

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import type { RequestContext, RequestSummary } from '@microshop/runtime';
import { cacheAnonymousCatalogReads, RESPONSE_CACHE_HEADER } from '../src/response-cache.ts';

/**
 * The response cache's rules on an executor that records what reached it and plans like
 * @apollo/gateway would (the subgraphs given per document): what is kept, for how long, and what
 * never is.
 */

const PAGE = 'query Page($id: ID!) { product(id: $id) { id price { amount } } }';
const SEARCH_IN_FRAGMENT =
  'query Search($q: String!) { ...Found } fragment Found on Query { searchProducts(query: $q) { totalCount } }';
const CART = 'query Cart { cart { items { quantity } } }';
const ADD = 'mutation Add { addToCart(productId: "p", quantity: 1) { userErrors { code } } }';

/** The subgraphs each document's plan fetches from. */
const PLANS: Record<string, string[]> = {
  [PAGE]: ['catalog'],
  [SEARCH_IN_FRAGMENT]: ['catalog'],
  [CART]: ['cart', 'catalog'],
  [ADD]: ['cart'],
};

function request(
  query: string,
  options: { authorization?: string; variables?: Record<string, unknown> } = {},
) {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const summary: RequestSummary = { operationName: null, hadErrors: false, upstreamCalls: [] };
  const headers = new Map<string, string>();
  const context: Partial<RequestContext> = { authorization: options.authorization, summary };
  const requestContext = {
    source: query,
    document,
    operation,
    operationName: operation.name?.value ?? null,
    queryHash: createHash('sha256').update(query).digest('hex'),
    request: { query, variables: options.variables ?? { id: 'p1' } },
    response: { http: { headers } },
    context,
  } as unknown as GatewayGraphQLRequestContext;
  return { requestContext, summary, headers, context };
}

function cacheOver(
  answer: (call: number) => GatewayExecutionResult | Promise<GatewayExecutionResult>,
  { planned = true } = {},
) {
  let version = '1';
  let versionReads = 0;
  const executed: { query: string; freshRead: boolean | undefined }[] = [];
  const cache = cacheAnonymousCatalogReads({
    versions: {
      current: async () => {
        versionReads += 1;
        return version;
      },
    },
    maxEntries: 2,
  });
  const execute = cache.wrapExecutor!(async (requestContext) => {
    cache.onPlanned!(new Set(PLANS[requestContext.source]), requestContext);
    executed.push({
      query: requestContext.source,
      freshRead: (requestContext.context as Partial<RequestContext>).freshRead,
    });
    return answer(executed.length);
  });
  // As if each document had run once before (a document's first execution is never cached).
  if (planned)
    for (const [query, subgraphs] of Object.entries(PLANS))
      cache.onPlanned!(new Set(subgraphs), request(query).requestContext);
  return {
    execute,
    executed,
    setVersion: (next: string) => (version = next),
    versionReads: () => versionReads,
  };
}

const priced = (call: number): GatewayExecutionResult => ({
  data: { product: { id: 'p1', price: { amount: call } } },
});

describe('cacheAnonymousCatalogReads', () => {
  it('answers an anonymous catalog query again from memory while the read version is unchanged', async () => {
    const { execute, executed } = cacheOver(priced);
    const first = request(PAGE);
    expect(await execute(first.requestContext)).toEqual(priced(1));
    expect(first.headers.get(RESPONSE_CACHE_HEADER)).toBe('miss');
    expect(first.summary.responseCache).toBe('miss');
    // A miss joins nothing already in flight.
    expect(executed).toEqual([{ query: PAGE, freshRead: true }]);

    const second = request(PAGE);
    expect(await execute(second.requestContext)).toEqual(priced(1));
    expect(second.headers.get(RESPONSE_CACHE_HEADER)).toBe('hit');
    expect(second.summary.responseCache).toBe('hit');
    expect(executed).toHaveLength(1);

    // Other variables: another answer.
    expect(await execute(request(PAGE, { variables: { id: 'p2' } }).requestContext)).toEqual(
      priced(2),
    );
  });

  it("runs a document's first execution as any query, and only then knows it may keep its answers", async () => {
    const { execute, executed } = cacheOver(priced, { planned: false });
    const first = request(PAGE);
    await execute(first.requestContext);
    expect(first.headers.get(RESPONSE_CACHE_HEADER)).toBeUndefined();
    const second = request(PAGE);
    await execute(second.requestContext);
    expect(second.headers.get(RESPONSE_CACHE_HEADER)).toBe('miss');
    expect(executed.map((call) => call.freshRead)).toEqual([undefined, true]);
    const third = request(PAGE);
    expect(await execute(third.requestContext)).toEqual(priced(2));
    expect(third.headers.get(RESPONSE_CACHE_HEADER)).toBe('hit');
  });

  it('shares one execution among identical misses under one version, not across versions', async () => {
    const pending: ((result: GatewayExecutionResult) => void)[] = [];
    const { execute, executed, setVersion } = cacheOver(
      () => new Promise<GatewayExecutionResult>((resolve) => pending.push(resolve)),
    );
    const leader = request(PAGE);
    const follower = request(PAGE);
    const answers = [execute(leader.requestContext), execute(follower.requestContext)];
    await new Promise((resolve) => setImmediate(resolve));
    setVersion('2');
    const later = request(PAGE);
    answers.push(execute(later.requestContext));
    await new Promise((resolve) => setImmediate(resolve));
    expect(executed).toHaveLength(2);
    pending[0]!(priced(1));
    pending[1]!(priced(2));
    expect(await Promise.all(answers)).toEqual([priced(1), priced(1), priced(2)]);
    expect(follower.summary.responseCache).toBe('miss');
    expect(later.summary.sharedExecutionOf).toBeUndefined();
  });

  it('executes again once the version has moved, and keeps the new answer under the new version', async () => {
    const { execute, executed, setVersion } = cacheOver(priced);
    await execute(request(PAGE).requestContext);
    setVersion('2');
    expect(await execute(request(PAGE).requestContext)).toEqual(priced(2));
    expect(await execute(request(PAGE).requestContext)).toEqual(priced(2));
    expect(executed).toHaveLength(2);
  });

  it('never keeps answers of signed-in callers, other subgraphs, searches, mutations or errors', async () => {
    const failing = cacheOver(() => ({
      data: { product: null },
      errors: [new GraphQLError('down')],
    }));
    await failing.execute(request(PAGE).requestContext);
    await failing.execute(request(PAGE).requestContext);
    expect(failing.executed).toHaveLength(2);

    const { execute, executed, versionReads } = cacheOver(priced);
    for (const query of [PAGE, CART, SEARCH_IN_FRAGMENT, ADD]) {
      const authorization = query === PAGE ? 'Bearer token' : undefined;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const { requestContext, headers, summary } = request(query, { authorization });
        await execute(requestContext);
        expect(headers.get(RESPONSE_CACHE_HEADER)).toBeUndefined();
        expect(summary.responseCache).toBeUndefined();
      }
    }
    expect(executed.map((call) => call.query)).toEqual([
      PAGE,
      PAGE,
      CART,
      CART,
      SEARCH_IN_FRAGMENT,
      SEARCH_IN_FRAGMENT,
      ADD,
      ADD,
    ]);
    // Only an anonymous query of a cacheable document asks for the version.
    expect(versionReads()).toBe(0);
  });

  it('runs the query unanswered from memory when the version is unknown', async () => {
    const cache = cacheAnonymousCatalogReads({
      versions: { current: async () => undefined },
      maxEntries: 10,
    });
    cache.onPlanned!(new Set(['catalog']), request(PAGE).requestContext);
    let executions = 0;
    const execute = cache.wrapExecutor!(async () => {
      executions += 1;
      return priced(executions);
    });
    expect(await execute(request(PAGE).requestContext)).toEqual(priced(1));
    expect(await execute(request(PAGE).requestContext)).toEqual(priced(2));
  });

  it('keeps at most maxEntries answers, forgetting the least recently used', async () => {
    const { execute, executed } = cacheOver(priced);
    const page = (id: string) => execute(request(PAGE, { variables: { id } }).requestContext);
    await page('a');
    await page('b');
    await page('a'); // hit: a is now the most recent
    await page('c'); // forgets b
    await page('a'); // hit
    await page('b'); // executed again
    expect(executed).toHaveLength(4);
  });
});

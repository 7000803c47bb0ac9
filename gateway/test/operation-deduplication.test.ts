import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse, type OperationDefinitionNode } from 'graphql';
import type {
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
} from '@apollo/server-gateway-interface';
import type { RequestSummary } from '@microshop/runtime';
import { operationDeduplicationFeature } from '../src/operation-deduplication.ts';

// The executor wrapper the feature gives the composition.
const deduplicateExecutions = operationDeduplicationFeature().wrapExecutor!;

/**
 * Whole-operation deduplication, on an executor that records its calls and answers when told to:
 * which requests share an execution and which must run their own.
 */

const PRODUCTS = 'query Products($first: Int) { products(first: $first) { edges { cursor } } }';
const ADD = 'mutation Add { addToCart(productId: "p", quantity: 1) { userErrors { code } } }';

interface Call {
  requestId: string;
  settle: (result: GatewayExecutionResult | Error) => void;
}

function recordingExecutor() {
  const calls: Call[] = [];
  const execute = deduplicateExecutions(
    (requestContext) =>
      new Promise<GatewayExecutionResult>((resolve, reject) => {
        calls.push({
          requestId: (requestContext.context as { requestId: string }).requestId,
          settle: (result) => (result instanceof Error ? reject(result) : resolve(result)),
        });
      }),
  );
  return { calls, execute };
}

function request(
  requestId: string,
  options: {
    query?: string;
    authorization?: string;
    variables?: Record<string, unknown>;
    freshRead?: boolean;
  } = {},
) {
  const source = options.query ?? PRODUCTS;
  const document = parse(source);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const summary: RequestSummary = { operationName: null, hadErrors: false, upstreamCalls: [] };
  const requestContext = {
    source,
    document,
    operation,
    operationName: operation.name?.value ?? null,
    queryHash: createHash('sha256').update(source).digest('hex'),
    request: { query: source, variables: options.variables ?? { first: 2 } },
    context: {
      requestId,
      authorization: options.authorization,
      summary,
      freshRead: options.freshRead,
    },
  } as unknown as GatewayGraphQLRequestContext;
  return { requestContext, summary };
}

const ANSWER: GatewayExecutionResult = { data: { products: { edges: [{ cursor: 'a' }] } } };

describe('deduplicateExecutions', () => {
  it('runs identical queries in flight once; each caller gets the answer, a follower names its leader', async () => {
    const { calls, execute } = recordingExecutor();
    const first = request('first');
    const second = request('second');
    const third = request('third');
    const answers = Promise.all([
      execute(first.requestContext),
      execute(second.requestContext),
      execute(third.requestContext),
    ]);
    expect(calls.map((call) => call.requestId)).toEqual(['first']);
    calls[0]?.settle(ANSWER);
    expect(await answers).toEqual([ANSWER, ANSWER, ANSWER]);
    expect(first.summary.sharedExecutionOf).toBeUndefined();
    expect(second.summary.sharedExecutionOf).toBe('first');
    expect(third.summary.sharedExecutionOf).toBe('first');
  });

  it('runs a query again once the identical one has been answered', async () => {
    const { calls, execute } = recordingExecutor();
    const earlier = execute(request('earlier').requestContext);
    calls[0]?.settle(ANSWER);
    await earlier;
    const later = execute(request('later').requestContext);
    expect(calls.map((call) => call.requestId)).toEqual(['earlier', 'later']);
    calls[1]?.settle(ANSWER);
    expect(await later).toEqual(ANSWER);
  });

  it('runs a fresh read (a live field push) on its own, and lets later identical queries join it', async () => {
    const { calls, execute } = recordingExecutor();
    const earlier = execute(request('earlier').requestContext);
    const fresh = request('fresh', { freshRead: true });
    const freshAnswer = execute(fresh.requestContext);
    const later = request('later');
    const laterAnswer = execute(later.requestContext);
    expect(calls.map((call) => call.requestId)).toEqual(['earlier', 'fresh']);
    expect(fresh.summary.sharedExecutionOf).toBeUndefined();
    expect(later.summary.sharedExecutionOf).toBe('fresh');
    for (const call of calls) call.settle(ANSWER);
    expect(await Promise.all([earlier, freshAnswer, laterAnswer])).toEqual([
      ANSWER,
      ANSWER,
      ANSWER,
    ]);
  });

  it('keeps apart callers with different tokens, variables or operations, and every mutation', async () => {
    const { calls, execute } = recordingExecutor();
    const executions = [
      execute(request('anonymous').requestContext),
      execute(request('alice', { authorization: 'Bearer alice' }).requestContext),
      execute(request('bob', { authorization: 'Bearer bob' }).requestContext),
      execute(request('three', { variables: { first: 3 } }).requestContext),
      execute(request('other', { query: `${PRODUCTS} ` }).requestContext),
      execute(request('add-1', { query: ADD }).requestContext),
      execute(request('add-2', { query: ADD }).requestContext),
    ];
    expect(calls.map((call) => call.requestId)).toEqual([
      'anonymous',
      'alice',
      'bob',
      'three',
      'other',
      'add-1',
      'add-2',
    ]);
    for (const call of calls) call.settle(ANSWER);
    await Promise.all(executions);
  });

  it('leaves variables too deeply nested to serialise to the executor, unshared', async () => {
    const { calls, execute } = recordingExecutor();
    let nested: unknown = [];
    for (let level = 0; level < 100_000; level++) nested = [nested];
    const executions = [1, 2].map(() =>
      execute(request('deep', { variables: { s: nested } }).requestContext),
    );
    expect(calls).toHaveLength(2);
    for (const call of calls) call.settle(ANSWER);
    expect(await Promise.all(executions)).toEqual([ANSWER, ANSWER]);
  });

  it("runs a caller's queries afresh once a mutation of theirs was answered (read your writes)", async () => {
    const { calls, execute } = recordingExecutor();
    const alice = { authorization: 'Bearer alice' };
    const bob = { authorization: 'Bearer bob' };
    const aliceBefore = execute(request('alice-before', alice).requestContext);
    const bobBefore = execute(request('bob-before', bob).requestContext);
    const mutation = execute(request('alice-adds', { ...alice, query: ADD }).requestContext);
    // Sent while the mutation runs: it may still join (the write is not answered yet).
    const aliceDuring = request('alice-during', alice);
    void execute(aliceDuring.requestContext);
    expect(aliceDuring.summary.sharedExecutionOf).toBe('alice-before');
    calls[2]?.settle(ANSWER);
    await mutation;

    const aliceAfter = request('alice-after', alice);
    const bobAfter = request('bob-after', bob);
    const later = [execute(aliceAfter.requestContext), execute(bobAfter.requestContext)];
    expect(calls.map((call) => call.requestId)).toEqual([
      'alice-before',
      'bob-before',
      'alice-adds',
      'alice-after',
    ]);
    expect(aliceAfter.summary.sharedExecutionOf).toBeUndefined();
    expect(bobAfter.summary.sharedExecutionOf).toBe('bob-before');
    for (const call of calls) call.settle(ANSWER);
    await Promise.all([aliceBefore, bobBefore, ...later]);
  });

  it('shares an answer with errors, and a failed execution, with the callers that waited for it', async () => {
    const { calls, execute } = recordingExecutor();
    const partial: GatewayExecutionResult = {
      data: { products: null },
      errors: [{ message: 'The catalog service is unavailable; try again shortly.' }] as never,
    };
    const withErrors = Promise.all([
      execute(request('a').requestContext),
      execute(request('b').requestContext),
    ]);
    calls[0]?.settle(partial);
    expect(await withErrors).toEqual([partial, partial]);

    const failed = [execute(request('c').requestContext), execute(request('d').requestContext)];
    calls[1]?.settle(new Error('boom'));
    for (const execution of failed) await expect(execution).rejects.toThrow('boom');
    expect(calls).toHaveLength(2);

    // Nothing is left waiting: the next identical query runs afresh.
    const next = execute(request('e').requestContext);
    expect(calls).toHaveLength(3);
    calls[2]?.settle(ANSWER);
    expect(await next).toEqual(ANSWER);
  });
});

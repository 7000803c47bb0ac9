import { readFileSync } from 'node:fs';
import { buildSchema, getOperationAST, Kind, parse, print, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createEvent } from '@microshop/events';
import type { RequestContext } from '@microshop/runtime';
import type { ExecuteThroughGateway } from '../src/feature.ts';
import { keyOf, type AnyLiveField } from '../src/live-field.ts';
import { LIVE_FIELDS } from '../src/live-fields/index.ts';
import { orderStatusChanged } from '../src/live-fields/order-status-changed.ts';
import { productChanged } from '../src/live-fields/product-changed.ts';
import { SubscriberHub } from '../src/subscriber-hub.ts';
import { asEntityQuery, liveStream, type OpenStream } from '../src/subscriptions.ts';

function rewrite(source: string, live: AnyLiveField = orderStatusChanged): string {
  const document = parse(source);
  const operation = getOperationAST(document);
  const field = operation?.selectionSet.selections[0];
  if (!operation || field?.kind !== Kind.FIELD)
    throw new Error('test document must select one field');
  return print(parse(asEntityQuery(document, operation, field as FieldNode, live)));
}

describe('asEntityQuery', () => {
  it('turns the subscription into the entity query under the same response key', () => {
    expect(
      rewrite(
        'subscription Watch($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status } }',
      ),
    ).toBe(
      print(
        parse('query Watch($orderId: ID!) { orderStatusChanged: order(id: $orderId) { status } }'),
      ),
    );
    expect(
      rewrite('subscription ($p: ID!) { productChanged(productId: $p) { stock } }', productChanged),
    ).toBe(print(parse('query ($p: ID!) { productChanged: product(id: $p) { stock } }')));
  });

  it('keeps the alias, literal arguments, directives and the fragments the selection uses', () => {
    expect(
      rewrite(`
        subscription ($withPayment: Boolean!) {
          watched: orderStatusChanged(orderId: "o-1") { ...Parts payment @include(if: $withPayment) { status } }
        }
        fragment Parts on Order { status items { product { name } } }
      `),
    ).toBe(
      print(
        parse(`
          query ($withPayment: Boolean!) {
            watched: order(id: "o-1") { ...Parts payment @include(if: $withPayment) { status } }
          }
          fragment Parts on Order { status items { product { name } } }
        `),
      ),
    );
  });
});

describe('the live-field registry', () => {
  const api = buildSchema(
    readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'),
  );
  const subscriptionFields = api.getSubscriptionType()?.getFields() ?? {};
  const queryFields = api.getQueryType()?.getFields() ?? {};

  it('serves every Subscription field of the composed API, and nothing else', () => {
    expect(LIVE_FIELDS.map((live) => live.field).sort()).toEqual(
      Object.keys(subscriptionFields).sort(),
    );
  });

  it.each(LIVE_FIELDS.map((live) => [live.field, live] as const))(
    '%s: its key argument and entity query exist, and the query returns the field’s type',
    (_name, live) => {
      const subscription = subscriptionFields[live.field]!;
      expect(subscription.args.map((argument) => argument.name)).toEqual([live.keyArgument]);
      const entity = queryFields[live.entityQuery.field];
      expect(entity?.args.map((argument) => argument.name)).toContain(live.entityQuery.keyArgument);
      expect(String(entity?.type).replace(/!$/, '')).toBe(
        String(subscription.type).replace(/!$/, ''),
      );
    },
  );

  it('reads the key from its own event only', () => {
    const product = createEvent('ProductChanged', 'p-1', { productId: 'p-1' });
    const status = createEvent('OrderStatusChanged', 'o-1', {
      orderId: 'o-1',
      userId: 'u-1',
      from: 'PENDING',
      to: 'CONFIRMED',
      reason: null,
    });
    expect(keyOf(productChanged, product)).toBe('p-1');
    expect(keyOf(orderStatusChanged, product)).toBeUndefined();
    expect(keyOf(orderStatusChanged, status)).toBe('o-1');
    expect(keyOf(productChanged, status)).toBeUndefined();
  });
});

describe('SubscriberHub', () => {
  it('calls the watchers of a key on its changes until they stop watching', () => {
    const hub = new SubscriberHub();
    const seen: string[] = [];
    const stopA = hub.watch('order-1', () => seen.push('a'));
    hub.watch('order-1', () => seen.push('b'));
    hub.watch('order-2', () => seen.push('c'));

    hub.notify('order-1');
    expect(seen).toEqual(['a', 'b']);

    stopA();
    hub.notify('order-1');
    hub.notify('order-3');
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(hub.watchedKeys).toBe(2);
  });

  it('forgets a key once nobody watches it', () => {
    const hub = new SubscriberHub();
    const stop = hub.watch('order-1', () => undefined);
    stop();
    expect(hub.watchedKeys).toBe(0);
  });
});

/**
 * One subscriber's stream of an order's status, over a real hub. Each read answers when the test
 * lets it (`settle`), with the status as it is then, so changes can be announced while a read runs.
 */
function watchedOrder(initialStatus: string) {
  const hub = new SubscriberHub();
  let status = initialStatus;
  let readsStarted = 0;
  const unanswered: Array<() => void> = [];
  const execute: ExecuteThroughGateway = async () => {
    readsStarted += 1;
    await new Promise<void>((resolve) => unanswered.push(resolve));
    return { data: { order: { status } } };
  };
  const stream = liveStream(
    {
      hub,
      key: 'order-1',
      query: 'query { order(id: "order-1") { status } }',
      variables: {},
      operationName: undefined,
      context: { requestId: 'subscription-1' } as Partial<RequestContext> as RequestContext,
      release: () => undefined,
    },
    execute,
    new Set<OpenStream>(),
  );
  const pushed: string[] = [];
  const consumed = (async () => {
    for await (const result of stream) {
      pushed.push((result.data as { order: { status: string } }).order.status);
    }
  })();
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  return {
    pushed,
    reads: () => readsStarted,
    /** The status committed, without announcing it yet. */
    commit: (next: string) => void (status = next),
    /** The status's event reaching the gateway (again, for a redelivery). */
    announce: () => hub.notify('order-1'),
    /** Answers every read, those the answers lead to included, until none is running. */
    async settle() {
      await turn();
      while (unanswered.length > 0) {
        unanswered.shift()!();
        await turn();
      }
    },
    async end() {
      await stream.return!();
      await consumed;
    },
  };
}

describe('liveStream', () => {
  it('pushes the entity as it is once watched, before any change', async () => {
    const order = watchedOrder('CONFIRMED');
    await order.settle();
    expect(order.pushed).toEqual(['CONFIRMED']);
    await order.end();
  });

  it('pushes a change committed while the first read runs once, however its event arrives', async () => {
    const order = watchedOrder('PENDING');
    await new Promise((resolve) => setImmediate(resolve));
    expect(order.reads()).toBe(1);
    // Committed before the first read's snapshot; its event reaches the gateway during the read.
    order.commit('CONFIRMED');
    order.announce();
    await order.settle();
    expect(order.pushed).toEqual(['CONFIRMED']);
    expect(order.reads()).toBe(2);

    // A redelivered event: read again, nothing new, nothing pushed.
    order.announce();
    await order.settle();
    expect(order.pushed).toEqual(['CONFIRMED']);

    order.commit('SHIPPED');
    order.announce();
    await order.settle();
    expect(order.pushed).toEqual(['CONFIRMED', 'SHIPPED']);
    await order.end();
  });

  it('answers every change announced while a read runs with one more read', async () => {
    const order = watchedOrder('PENDING');
    await order.settle();
    order.commit('CONFIRMED');
    order.announce();
    await new Promise((resolve) => setImmediate(resolve));
    for (const status of ['SHIPPED', 'DELIVERED']) {
      order.commit(status);
      order.announce();
    }
    await order.settle();
    expect(order.reads()).toBe(3);
    // The second read started after CONFIRMED and answered after DELIVERED was committed.
    expect(order.pushed).toEqual(['PENDING', 'DELIVERED']);
    await order.end();
  });
});

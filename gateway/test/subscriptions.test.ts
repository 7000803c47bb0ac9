import { readFileSync } from 'node:fs';
import { buildSchema, getOperationAST, Kind, parse, print, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createEvent } from '@microshop/events';
import { keyOf, type AnyLiveField } from '../src/live-field.ts';
import { LIVE_FIELDS } from '../src/live-fields/index.ts';
import { orderStatusChanged } from '../src/live-fields/order-status-changed.ts';
import { productChanged } from '../src/live-fields/product-changed.ts';
import { SubscriberHub } from '../src/subscriber-hub.ts';
import { asEntityQuery } from '../src/subscriptions.ts';

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

import { getOperationAST, Kind, parse, print, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { OrderStatusHub } from '../src/order-status-hub.ts';
import { asOrderQuery } from '../src/subscriptions.ts';

function rewrite(source: string): string {
  const document = parse(source);
  const operation = getOperationAST(document);
  const field = operation?.selectionSet.selections[0];
  if (!operation || field?.kind !== Kind.FIELD)
    throw new Error('test document must select one field');
  return print(parse(asOrderQuery(document, operation, field as FieldNode)));
}

describe('asOrderQuery', () => {
  it('turns the subscription into the order query under the same response key', () => {
    expect(
      rewrite(
        'subscription Watch($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status } }',
      ),
    ).toBe(
      print(
        parse('query Watch($orderId: ID!) { orderStatusChanged: order(id: $orderId) { status } }'),
      ),
    );
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

describe('OrderStatusHub', () => {
  it('calls the watchers of an order on its changes until they stop watching', () => {
    const hub = new OrderStatusHub();
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
    expect(hub.watchedOrders).toBe(2);
  });

  it('forgets an order once nobody watches it', () => {
    const hub = new OrderStatusHub();
    const stop = hub.watch('order-1', () => undefined);
    stop();
    expect(hub.watchedOrders).toBe(0);
  });
});

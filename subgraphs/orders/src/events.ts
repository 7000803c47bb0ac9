import type { ConsumedEventHandler, EventConsumerSpec } from '@microshop/events';

/**
 * The outbox source of every event the orders domain writes: placeOrder's and the worker's rows,
 * all published by the relay of the orders API process.
 */
export const outboxSource = 'orders';

/** Consumer group of the orders worker (the bus prefixes config.namespace). */
export const ORDERS_WORKER_GROUP = 'orders-worker';

/**
 * The orders worker's consumer: the saga outcomes that settle an order, stock outcomes (catalog)
 * and payment outcomes, and the payments events that make the order timeline, in one transaction
 * per event. The orders API process consumes nothing.
 */
export function consumers(handlers: {
  sagaOutcomes: ConsumedEventHandler;
  timeline: ConsumedEventHandler;
}): EventConsumerSpec[] {
  return [
    {
      group: ORDERS_WORKER_GROUP,
      topics: ['catalog', 'payments'],
      handle: async (tx, event, context) => {
        await handlers.sagaOutcomes(tx, event, context);
        await handlers.timeline(tx, event, context);
      },
    },
  ];
}

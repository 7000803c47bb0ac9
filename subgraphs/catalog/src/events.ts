import {
  createEvent,
  type ConsumedEventHandler,
  type DomainEvent,
  type EventConsumerSpec,
} from '@microshop/events';

/** The outbox source (and relay) of everything the catalog publishes. */
export const outboxSource = 'catalog';

/**
 * ProductChanged for each product, written beside every change of a product or its stock: the
 * search index follows the catalog through the outbox.
 */
export function productChanged(
  productIds: readonly string[],
  requestId?: string,
): DomainEvent<'ProductChanged'>[] {
  return [...new Set(productIds)].map((productId) =>
    createEvent('ProductChanged', productId, { productId }, requestId),
  );
}

/** Consumer groups of the catalog process (the bus prefixes the namespace). */
export const STOCK_CONSUMER_GROUP = 'catalog-stock';
export const SEARCH_SYNC_CONSUMER_GROUP = 'catalog-search-sync';

/**
 * The catalog's consumers: its step of the order saga (reserve, release, commit stock) and the
 * search sync (ProductChanged -> index).
 */
export function consumers(handlers: {
  stock: ConsumedEventHandler;
  searchSync: ConsumedEventHandler;
}): EventConsumerSpec[] {
  return [
    { group: STOCK_CONSUMER_GROUP, topics: ['orders'], handle: handlers.stock },
    { group: SEARCH_SYNC_CONSUMER_GROUP, topics: ['catalog'], handle: handlers.searchSync },
  ];
}

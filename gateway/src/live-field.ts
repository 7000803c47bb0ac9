import type { EventPayload, EventType } from '@microshop/events';

/**
 * A Subscription field the gateway serves itself (@apollo/gateway executes no subscriptions): the
 * field is declared in its subgraph's SDL, so it composes into the supergraph and the typed
 * client, and this entry says how it is live. Each `eventType` event on the bus names an entity
 * by its key; every subscriber to that key gets its own selection set, run as the entity query
 * through the gateway with the subscriber's token (so federated fields resolve, and the access
 * rule is the entity query's own).
 */
export interface LiveField<T extends EventType = EventType> {
  /** The Subscription field, e.g. `orderStatusChanged`. */
  field: string;
  /** The event that means the entity changed. */
  eventType: T;
  /** The field's one argument, the entity's key; the event's payload carries it under this name. */
  keyArgument: keyof EventPayload<T> & string;
  /** The Query field that reads the entity by its key, e.g. `order(id:)`. */
  entityQuery: { field: string; keyArgument: string };
}

/** Any registry entry, each typed against its own event. */
export type AnyLiveField = { [T in EventType]: LiveField<T> }[EventType];

/** A registry entry, checked against its event's payload. */
export function liveField<T extends EventType>(definition: LiveField<T>): LiveField<T> {
  return definition;
}

/** The key an event names for `live`, if it is `live`'s event. */
export function keyOf(live: AnyLiveField, event: { type: string; payload: unknown }) {
  if (event.type !== live.eventType) return undefined;
  const key = (event.payload as Record<string, unknown>)[live.keyArgument];
  return typeof key === 'string' ? key : undefined;
}

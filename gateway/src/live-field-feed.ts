import { randomUUID } from 'node:crypto';
import type { Config } from '@microshop/config';
import { createPrismaClient } from '@microshop/db';
import { createEventBus, topicOf, type ConsumerLag } from '@microshop/events';
import type { Logger } from '@microshop/runtime';
import { keyOf, type AnyLiveField } from './live-field.ts';
import type { SubscriberHub } from './subscriber-hub.ts';

/** The lag gauge's `consumer` label for this feed. */
export const LIVE_FIELD_FEED = 'live-field-feed';

/**
 * Feeds each live field's hub with its events: one consumer per gateway instance for all of them,
 * in a consumer group of its own, starting from the latest event, so every instance sees every
 * change and serves the subscribers whose sockets it holds, however many instances run.
 *
 * The bus is used directly rather than through startEventConsumer: a push changes no state here,
 * so there is nothing to record as processed, and a redelivered event only re-sends the current
 * entity to its subscribers.
 */
export async function startLiveFieldFeed(
  config: Config,
  fields: ReadonlyArray<{ live: AnyLiveField; hub: SubscriberHub }>,
  deps: {
    logger: Logger;
    /** How far behind the feed is, whenever the bus knows it (for the lag gauge). */
    onLag?: (lag: ConsumerLag) => void;
  },
): Promise<{ close(): Promise<void> }> {
  if (config.database.kind !== 'postgres') {
    throw new Error(
      'The gateway needs DATABASE_URL for its event bus: run `npm start` (it passes it) or set it',
    );
  }
  const logger = deps.logger.child({ component: LIVE_FIELD_FEED });
  // The Postgres-log bus reads through it; with Kafka it stays unconnected.
  const db = createPrismaClient(config.database.url, { maxConnections: 2 });
  const bus = await createEventBus(config, { db, logger });
  const subscription = await bus.subscribe({
    group: `gateway-${randomUUID()}`,
    ephemeral: true,
    topics: [...new Set(fields.map(({ live }) => topicOf[live.eventType]))],
    startFrom: 'latest',
    // A missed push is recovered by reading the entity; retrying a push helps no one.
    retry: { attempts: 1 },
    onLag: deps.onLag,
    handler: async (event) => {
      for (const { live, hub } of fields) {
        const key = keyOf(live, event);
        if (key !== undefined) hub.notify(key);
      }
    },
  });
  return {
    async close() {
      await subscription.close();
      await bus.close();
      await db.$disconnect();
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { Config } from '@microshop/config';
import { createPrismaClient } from '@microshop/db';
import { createEventBus, topicOf, type ConsumerLag } from '@microshop/events';
import type { Logger } from '@microshop/runtime';
import type { OrderStatusHub } from './order-status-hub.ts';

/**
 * Feeds the hub with every OrderStatusChanged event. Each gateway instance consumes in a consumer
 * group of its own, starting from the latest event, so every instance sees every status change
 * and serves the subscribers whose sockets it holds, however many instances run.
 *
 * The bus is used directly rather than through startEventConsumer: a push changes no state here,
 * so there is nothing to record as processed, and a redelivered event only re-sends the current
 * order to its subscribers.
 */
export async function startOrderStatusFeed(
  config: Config,
  deps: {
    logger: Logger;
    hub: OrderStatusHub;
    /** How far behind the feed is, whenever the bus knows it (for the lag gauge). */
    onLag?: (lag: ConsumerLag) => void;
  },
): Promise<{ close(): Promise<void> }> {
  if (config.database.kind !== 'postgres') {
    throw new Error(
      'The gateway needs DATABASE_URL for its event bus: run `npm start` (it passes it) or set it',
    );
  }
  const logger = deps.logger.child({ component: 'order-status-feed' });
  // The Postgres-log bus reads through it; with Kafka it stays unconnected.
  const db = createPrismaClient(config.database.url, { maxConnections: 2 });
  const bus = await createEventBus(config, { db, logger });
  const subscription = await bus.subscribe({
    group: `gateway-${randomUUID()}`,
    ephemeral: true,
    topics: [topicOf.OrderStatusChanged],
    startFrom: 'latest',
    // A missed push is recovered by reading order(id); retrying a push helps no one.
    retry: { attempts: 1 },
    onLag: deps.onLag,
    handler: async (event) => {
      if (event.type === 'OrderStatusChanged') deps.hub.notify(event.payload.orderId);
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

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testNamespace, type TestDatabase } from '@microshop/testing';
import {
  createEvent,
  startEventConsumer,
  type DomainEvent,
  type Subscription,
} from '../src/index.ts';
import {
  createBusHarness,
  implementations,
  testLogger,
  waitFor,
  type BusHarness,
} from './bus-harness.ts';

/**
 * replayDeadLetters on both buses (real PostgreSQL, real Kafka), each in a namespace and database
 * of its own so that the counts are this file's: a group whose handler failed gets its event again
 * once fixed, a group that had handled it skips it (processed_events), an invalid envelope (which
 * each group dead-letters) is reported and not published, and a second replay finds nothing new.
 */

const logger = testLogger();

for (const implementation of implementations) {
  describe(`dead-letter replay: ${implementation}`, () => {
    let database: TestDatabase;
    let harness: BusHarness;
    const subscriptions: Subscription[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      harness = await createBusHarness(implementation, database, testNamespace('dl'), logger);
    });

    afterAll(async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      await harness?.close();
      await database?.drop();
    });

    it('publishes each dead letter to its topic again, once', async () => {
      const orderId = randomUUID();
      let broken = true;
      const fulfilled: string[] = [];
      const audited: string[] = [];
      const consume = (group: string, handle: (event: DomainEvent) => void) =>
        startEventConsumer({
          bus: harness.bus,
          db: database.prisma,
          logger,
          group,
          topics: ['orders'],
          retry: { attempts: 2, initialDelayMs: 10 },
          handle: async (_tx, event) => handle(event),
        });
      subscriptions.push(
        await consume('fulfilment', (event) => {
          if (broken) throw new Error('fulfilment is broken');
          fulfilled.push(event.id);
        }),
        await consume('audit', (event) => {
          audited.push(event.id);
        }),
      );

      const placed = createEvent('OrderStatusChanged', orderId, {
        orderId,
        userId: 'user-1',
        from: null,
        to: 'PENDING',
        reason: 'placed',
      });
      await harness.bus.publish([placed]);
      await harness.injectRaw('orders', orderId, { id: 'not-a-uuid', type: 'OrderPlaced' });
      // The failing event after its retries, and the invalid envelope at once, by both groups.
      await harness.deadLetters(3);
      await waitFor(audited, (ids) => ids.length >= 1);
      expect(fulfilled).toEqual([]);

      broken = false;
      expect(await harness.bus.replayDeadLetters()).toEqual({ replayed: 1, unreplayable: 2 });
      await waitFor(fulfilled, (ids) => ids.length >= 1);
      expect(fulfilled).toEqual([placed.id]);

      // Nothing new to replay; the audit group, which had handled the event, skipped it.
      const again = await harness.bus.replayDeadLetters();
      expect(again.replayed).toBe(0);
      const processed = await database.prisma.processedEvent.findMany({
        where: { eventId: placed.id },
        select: { consumer: true },
      });
      expect(processed.map((row) => row.consumer).sort()).toEqual(
        [`${harness.bus.namespace}audit`, `${harness.bus.namespace}fulfilment`].sort(),
      );
      expect(audited).toEqual([placed.id]);
      expect(fulfilled).toEqual([placed.id]);
    });
  });
}

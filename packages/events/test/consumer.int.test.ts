import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testNamespace, type TestDatabase } from '@microshop/testing';
import {
  appendToOutbox,
  createEvent,
  startEventConsumer,
  type DomainEvent,
  type Subscription,
} from '../src/index.ts';
import {
  createBusHarness,
  eventually,
  implementations,
  testLogger,
  type BusHarness,
} from './bus-harness.ts';

const logger = testLogger();

/** An OrderPlaced for `orderId`, published under `key` (the order itself unless told). */
function placedEvent(
  orderId: string,
  options: { requestId?: string; key?: string } = {},
): DomainEvent {
  return createEvent(
    'OrderPlaced',
    options.key ?? orderId,
    {
      orderId,
      userId: 'user-1',
      items: [
        {
          productId: 'p1',
          quantity: 1,
          unitPrice: { amount: 100, currency: 'EUR' },
          productName: 'Pen',
        },
      ],
      total: { amount: 100, currency: 'EUR' },
      paymentToken: 'tok_visa',
    },
    options.requestId,
  );
}

for (const implementation of implementations) {
  describe(`startEventConsumer over ${implementation}`, () => {
    let database: TestDatabase;
    let harness: BusHarness;
    let consumer: Subscription;
    /** Each handled OrderPlaced: its id, the attempt, and the requestId its logger carries. */
    const handled: { eventId: string; attempt: number; loggedRequestId: unknown }[] = [];
    const failFirstAttemptOf = new Set<string>();

    beforeAll(async () => {
      database = await createTestDatabase();
      harness = await createBusHarness(implementation, database, testNamespace('co'), logger);
      // Its effect, written in the handling transaction: a StockReserved outbox row per order.
      consumer = await startEventConsumer({
        bus: harness.bus,
        db: database.prisma,
        logger,
        group: 'catalog',
        topics: ['orders'],
        handle: async (tx, event, context) => {
          if (event.type !== 'OrderPlaced') return;
          await appendToOutbox(tx, 'catalog', [
            createEvent('StockReserved', event.payload.orderId, {
              orderId: event.payload.orderId,
              items: [],
            }),
          ]);
          handled.push({
            eventId: event.id,
            attempt: context.attempt,
            loggedRequestId: context.log.bindings().requestId,
          });
          if (context.attempt === 1 && failFirstAttemptOf.has(event.id))
            throw new Error('deadlock detected');
        },
      });
    });

    afterAll(async () => {
      await consumer?.close();
      await harness?.close();
      await database?.drop();
    });

    const effectsOf = (orderId: string) =>
      database.prisma.outboxEvent.count({ where: { source: 'catalog', aggregateId: orderId } });
    /** Waits until the handling transaction of `eventId` has committed. */
    const committed = (eventId: string) =>
      eventually(async () =>
        (await database.prisma.processedEvent.count({ where: { eventId } })) > 0 ? true : undefined,
      );

    it('handles a redelivered event once', async () => {
      const orderId = randomUUID();
      const event = placedEvent(orderId, { requestId: 'req-dedupe' });
      // Same key, so it is handled after the redelivered copy.
      const marker = placedEvent(randomUUID(), { key: orderId });
      await harness.bus.publish([event]);
      await harness.bus.publish([event, marker]);
      await committed(marker.id);

      expect(handled.filter((entry) => entry.eventId === event.id)).toEqual([
        { eventId: event.id, attempt: 1, loggedRequestId: 'req-dedupe' },
      ]);
      expect(await effectsOf(orderId)).toBe(1);
      expect(
        await database.prisma.processedEvent.findMany({
          where: { eventId: event.id },
          select: { consumer: true },
        }),
      ).toEqual([{ consumer: `${harness.bus.namespace}catalog` }]);
    });

    it('rolls a failed attempt back with its effects and retries it', async () => {
      const orderId = randomUUID();
      const event = placedEvent(orderId);
      failFirstAttemptOf.add(event.id);
      await harness.bus.publish([event]);
      await committed(event.id);

      expect(
        handled.filter((entry) => entry.eventId === event.id).map((entry) => entry.attempt),
      ).toEqual([1, 2]);
      // The first attempt's outbox row and processed_events row were rolled back.
      expect(await effectsOf(orderId)).toBe(1);
      expect(await database.prisma.processedEvent.count({ where: { eventId: event.id } })).toBe(1);
    });
  });
}

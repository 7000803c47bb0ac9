import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendToOutbox, createEvent, startEventConsumer, type DomainEvent } from '../src/index.ts';
import { eventually, implementations, testLogger, useBusHarness } from './bus-harness.ts';

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
    const fixture = useBusHarness(implementation, 'co', logger);
    /** Each handled OrderPlaced: its id, the attempt, and the requestId its logger carries. */
    const handled: { eventId: string; attempt: number; loggedRequestId: unknown }[] = [];
    const failFirstAttemptOf = new Set<string>();

    beforeAll(async () => {
      // Its effect, written in the handling transaction: a StockReserved outbox row per order.
      fixture.closeAfterAll(
        await startEventConsumer({
          bus: fixture.harness.bus,
          db: fixture.database.prisma,
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
        }),
      );
    });

    const effectsOf = (orderId: string) =>
      fixture.database.prisma.outboxEvent.count({
        where: { source: 'catalog', aggregateId: orderId },
      });
    /** Waits until the handling transaction of `eventId` has committed. */
    const committed = (eventId: string) =>
      eventually(async () =>
        (await fixture.database.prisma.processedEvent.count({ where: { eventId } })) > 0
          ? true
          : undefined,
      );

    it('handles a redelivered event once', async () => {
      const orderId = randomUUID();
      const event = placedEvent(orderId, { requestId: 'req-dedupe' });
      // Same key, so it is handled after the redelivered copy.
      const marker = placedEvent(randomUUID(), { key: orderId });
      await fixture.harness.bus.publish([event]);
      await fixture.harness.bus.publish([event, marker]);
      await committed(marker.id);

      expect(handled.filter((entry) => entry.eventId === event.id)).toEqual([
        { eventId: event.id, attempt: 1, loggedRequestId: 'req-dedupe' },
      ]);
      expect(await effectsOf(orderId)).toBe(1);
      expect(
        await fixture.database.prisma.processedEvent.findMany({
          where: { eventId: event.id },
          select: { consumer: true },
        }),
      ).toEqual([{ consumer: `${fixture.harness.bus.namespace}catalog` }]);
    });

    it('rolls a failed attempt back with its effects and retries it', async () => {
      const orderId = randomUUID();
      const event = placedEvent(orderId);
      failFirstAttemptOf.add(event.id);
      await fixture.harness.bus.publish([event]);
      await committed(event.id);

      expect(
        handled.filter((entry) => entry.eventId === event.id).map((entry) => entry.attempt),
      ).toEqual([1, 2]);
      // The first attempt's outbox row and processed_events row were rolled back.
      expect(await effectsOf(orderId)).toBe(1);
      expect(
        await fixture.database.prisma.processedEvent.count({ where: { eventId: event.id } }),
      ).toBe(1);
    });
  });
}

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEvent, startEventConsumer, type DomainEvent } from '../src/index.ts';
import { implementations, testLogger, waitFor, useBusHarness } from './bus-harness.ts';

/**
 * replayDeadLetters on both buses (real PostgreSQL, real Kafka), each in a namespace and database
 * of its own so that the counts are this file's: a group whose handler failed gets its event again
 * once fixed, a group that had handled it skips it (processed_events), an invalid envelope (which
 * each group dead-letters) is reported and not published, and a second replay finds nothing new.
 */

const logger = testLogger();

for (const implementation of implementations) {
  describe(`dead-letter replay: ${implementation}`, () => {
    const fixture = useBusHarness(implementation, 'dl', logger);

    it('publishes each dead letter to its topic again, once', async () => {
      const orderId = randomUUID();
      let broken = true;
      const fulfilled: string[] = [];
      const audited: string[] = [];
      const consume = async (group: string, handle: (event: DomainEvent) => void) =>
        fixture.closeAfterAll(
          await startEventConsumer({
            bus: fixture.harness.bus,
            db: fixture.database.prisma,
            logger,
            group,
            topics: ['orders'],
            retry: { attempts: 2, initialDelayMs: 10 },
            handle: async (_tx, event) => handle(event),
          }),
        );
      await consume('fulfilment', (event) => {
        if (broken) throw new Error('fulfilment is broken');
        fulfilled.push(event.id);
      });
      await consume('audit', (event) => {
        audited.push(event.id);
      });

      const placed = createEvent('OrderStatusChanged', orderId, {
        orderId,
        userId: 'user-1',
        from: null,
        to: 'PENDING',
        reason: 'placed',
      });
      await fixture.harness.bus.publish([placed]);
      await fixture.harness.injectRaw('orders', orderId, { id: 'not-a-uuid', type: 'OrderPlaced' });
      // The failing event after its retries, and the invalid envelope at once, by both groups.
      await fixture.harness.deadLetters(3);
      await waitFor(audited, (ids) => ids.length >= 1);
      expect(fulfilled).toEqual([]);

      broken = false;
      expect(await fixture.harness.bus.replayDeadLetters()).toEqual({
        replayed: 1,
        unreplayable: 2,
      });
      await waitFor(fulfilled, (ids) => ids.length >= 1);
      expect(fulfilled).toEqual([placed.id]);

      // Nothing new to replay; the audit group, which had handled the event, skipped it.
      const again = await fixture.harness.bus.replayDeadLetters();
      expect(again.replayed).toBe(0);
      const processed = await fixture.database.prisma.processedEvent.findMany({
        where: { eventId: placed.id },
        select: { consumer: true },
      });
      expect(processed.map((row) => row.consumer).sort()).toEqual(
        [
          `${fixture.harness.bus.namespace}audit`,
          `${fixture.harness.bus.namespace}fulfilment`,
        ].sort(),
      );
      expect(audited).toEqual([placed.id]);
      expect(fulfilled).toEqual([placed.id]);
    });
  });
}

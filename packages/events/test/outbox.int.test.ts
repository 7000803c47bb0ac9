import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appendToOutbox,
  createEvent,
  startOutboxRelay,
  type DomainEvent,
  type EventBus,
  type OutboxRelay,
} from '../src/index.ts';
import { eventually, implementations, testLogger, waitFor, useBusHarness } from './bus-harness.ts';

function statusEvent(orderId: string, reason: string): DomainEvent {
  return createEvent('OrderStatusChanged', orderId, {
    orderId,
    userId: 'u',
    from: null,
    to: 'PENDING',
    reason,
  });
}

const logger = testLogger();

for (const implementation of implementations) {
  describe(`outbox relay over ${implementation}`, () => {
    const fixture = useBusHarness(implementation, 'ob', logger);
    const received: DomainEvent[] = [];

    beforeAll(async () => {
      fixture.closeAfterAll(
        await fixture.harness.bus.subscribe({
          group: 'observer',
          topics: ['orders', 'catalog'],
          handler: async (event) => {
            received.push(event);
          },
        }),
      );
    });

    async function relay(
      source: string,
      bus: EventBus = fixture.harness.bus,
      batchSize?: number,
    ): Promise<OutboxRelay> {
      // A poll far longer than any test: promptness has to come from NOTIFY.
      const started = await startOutboxRelay({
        db: fixture.database.prisma,
        bus,
        source,
        logger,
        pollIntervalMs: 60_000,
        ...(batchSize ? { batchSize } : {}),
      });
      fixture.closeAfterAll(started);
      return started;
    }

    /** Waits until every row of `source` is stamped published. */
    const allSent = (source: string) =>
      eventually(async () => {
        const unsent = await fixture.database.prisma.outboxEvent.count({
          where: { source, publishedAt: null },
        });
        return unsent === 0 ? true : undefined;
      });

    const receivedOf = (keys: readonly string[]) =>
      received.filter((event) => keys.includes(event.aggregateId));

    it('publishes exactly the committed rows of its source, in order, promptly, and stamps them', async () => {
      const orderId = randomUUID();
      const [a1, a2, a3, a4] = ['1', '2', '3', '4'].map((reason) =>
        statusEvent(orderId, reason),
      ) as [DomainEvent, DomainEvent, DomainEvent, DomainEvent];
      const rolledBack = statusEvent(orderId, 'rolled back');
      const otherSource = createEvent('StockReserved', orderId, { orderId, items: [] });
      await fixture.database.prisma.$transaction((tx) =>
        appendToOutbox(tx, 'orders', [a1, a2, a3]),
      );
      await expect(
        fixture.database.prisma.$transaction(async (tx) => {
          await appendToOutbox(tx, 'orders', [rolledBack]);
          throw new Error('the state change failed');
        }),
      ).rejects.toThrow('the state change failed');
      await fixture.database.prisma.$transaction((tx) =>
        appendToOutbox(tx, 'catalog', [otherSource]),
      );

      await relay('orders');
      const appendedAt = Date.now();
      await fixture.database.prisma.$transaction((tx) => appendToOutbox(tx, 'orders', [a4]));
      await waitFor(received, () => receivedOf([orderId]).length >= 4);
      expect(Date.now() - appendedAt).toBeLessThan(5_000);

      expect(receivedOf([orderId]).map((event) => event.id)).toEqual([a1.id, a2.id, a3.id, a4.id]);
      // Stamped when the relay's transaction commits, just after the bus acknowledged the
      // publish. The catalog row is another relay's: still unsent.
      await allSent('orders');
      const rows = await fixture.database.prisma.outboxEvent.findMany({
        orderBy: { sequence: 'asc' },
      });
      expect(rows.map((row) => [row.id, row.source, row.publishedAt !== null])).toEqual([
        [a1.id, 'orders', true],
        [a2.id, 'orders', true],
        [a3.id, 'orders', true],
        [otherSource.id, 'catalog', false],
        [a4.id, 'orders', true],
      ]);
    });

    it('shares the work between two relays: every row published once, each aggregate in order', async () => {
      const orders = Array.from({ length: 6 }, () => randomUUID());
      const rounds = 8;
      const appendRound = (round: number) =>
        fixture.database.prisma.$transaction((tx) =>
          appendToOutbox(
            tx,
            'payments-relay-test',
            orders.map((orderId) => statusEvent(orderId, String(round))),
          ),
        );
      for (let round = 0; round < rounds / 2; round += 1) await appendRound(round);
      // Small batches, so the two relays interleave many times.
      await Promise.all([
        relay('payments-relay-test', fixture.harness.bus, 4),
        relay('payments-relay-test', fixture.harness.bus, 4),
      ]);
      for (let round = rounds / 2; round < rounds; round += 1) await appendRound(round);

      await waitFor(received, () => receivedOf(orders).length >= orders.length * rounds);
      const seen = receivedOf(orders);
      expect(seen).toHaveLength(orders.length * rounds);
      expect(new Set(seen.map((event) => event.id)).size).toBe(orders.length * rounds);
      for (const orderId of orders) {
        const reasons = seen
          .filter((event) => event.aggregateId === orderId)
          .map((event) => (event.type === 'OrderStatusChanged' ? event.payload.reason : null));
        expect(reasons).toEqual(Array.from({ length: rounds }, (_, round) => String(round)));
      }
      await allSent('payments-relay-test');
    });

    it('keeps the rows through publish failures and publishes them once the bus is back', async () => {
      const orderId = randomUUID();
      const events = ['1', '2'].map((reason) => statusEvent(orderId, reason));
      let calls = 0;
      const unsentDuringOutage: number[] = [];
      const flakyBus: EventBus = {
        ...fixture.harness.bus,
        publish: async (batch) => {
          calls += 1;
          if (calls <= 2) {
            unsentDuringOutage.push(
              await fixture.database.prisma.outboxEvent.count({
                where: { source: 'flaky', publishedAt: null },
              }),
            );
            throw new Error('broker unavailable');
          }
          await fixture.harness.bus.publish(batch);
        },
      };
      await fixture.database.prisma.$transaction((tx) => appendToOutbox(tx, 'flaky', events));
      await relay('flaky', flakyBus);

      await waitFor(received, () => receivedOf([orderId]).length >= 2);
      expect(unsentDuringOutage).toEqual([2, 2]);
      expect(receivedOf([orderId]).map((event) => event.id)).toEqual(
        events.map((event) => event.id),
      );
      await allSent('flaky');
    });
  });
}

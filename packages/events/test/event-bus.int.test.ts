import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEvent,
  type DomainEvent,
  type EventHandler,
  type Subscription,
} from '../src/index.ts';
import {
  implementations,
  testLogger,
  waitFor,
  useBusHarness,
  type BusHarness,
} from './bus-harness.ts';

/** The EventBus contract, run against the Postgres log and against a real Kafka broker. */

function statusEvent(orderId: string, reason: string): DomainEvent {
  return createEvent('OrderStatusChanged', orderId, {
    orderId,
    userId: 'user-1',
    from: 'PENDING',
    to: 'CONFIRMED',
    reason,
  });
}

function reasonOf(event: DomainEvent): string | null {
  return event.type === 'OrderStatusChanged' ? event.payload.reason : null;
}

/**
 * A handler that records the events of `keys`. The topics are shared by the whole file and new
 * groups start from the earliest event, so each test looks only at the keys it published.
 */
function recorder(keys: readonly string[]): { events: DomainEvent[]; handler: EventHandler } {
  const events: DomainEvent[] = [];
  return {
    events,
    handler: async (event) => {
      if (keys.includes(event.aggregateId)) events.push(event);
    },
  };
}

const logger = testLogger();

for (const implementation of implementations) {
  describe(`EventBus contract: ${implementation}`, () => {
    const fixture = useBusHarness(implementation, 'ev', logger);

    async function subscribe(
      ...args: Parameters<BusHarness['bus']['subscribe']>
    ): Promise<Subscription> {
      return fixture.closeAfterAll(await fixture.harness.bus.subscribe(...args));
    }

    it('delivers published events, validated and intact, to a subscriber of their topics', async () => {
      const orderId = randomUUID();
      const received = recorder([orderId]);
      await subscribe({
        group: 'round-trip',
        topics: ['orders', 'catalog'],
        handler: received.handler,
      });
      const placed = createEvent(
        'OrderPlaced',
        orderId,
        {
          orderId,
          userId: 'user-1',
          items: [
            {
              productId: 'p1',
              quantity: 2,
              unitPrice: { amount: 500, currency: 'EUR' },
              productName: 'Mug',
            },
          ],
          total: { amount: 1000, currency: 'EUR' },
          paymentToken: 'tok_visa',
        },
        'request-42',
      );
      const reserved = createEvent('StockReserved', orderId, {
        orderId,
        items: [{ productId: 'p1', quantity: 2 }],
      });
      const declined = createEvent('PaymentDeclined', orderId, {
        orderId,
        paymentId: 'pay-1',
        reason: 'no',
      });
      await fixture.harness.bus.publish([placed, reserved, declined]);

      await waitFor(received.events, (events) => events.length >= 2);
      expect(received.events).toHaveLength(2);
      // Not subscribed to payments: the declined event is not delivered.
      expect(received.events.map((event) => event.id).sort()).toEqual(
        [placed.id, reserved.id].sort(),
      );
      expect(received.events.find((event) => event.id === placed.id)).toEqual(placed);
    });

    it('keeps the order of each key, across publish calls and concurrent publishers', async () => {
      const orders = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const rounds = 8;
      const received = recorder(orders);
      await subscribe({ group: 'ordering', topics: ['orders'], handler: received.handler });
      // One publisher per key, all at once: their commits interleave, and none may be skipped.
      await Promise.all(
        orders.map(async (orderId) => {
          for (let round = 0; round < rounds; round += 2) {
            await fixture.harness.bus.publish([statusEvent(orderId, String(round))]);
            await fixture.harness.bus.publish([statusEvent(orderId, String(round + 1))]);
          }
        }),
      );
      await waitFor(received.events, (events) => events.length >= orders.length * rounds);
      expect(received.events).toHaveLength(orders.length * rounds);
      for (const orderId of orders) {
        const reasons = received.events
          .filter((event) => event.aggregateId === orderId)
          .map(reasonOf);
        expect(reasons).toEqual(Array.from({ length: rounds }, (_, round) => String(round)));
      }
    });

    it('gives every group every event', async () => {
      const events = Array.from({ length: 5 }, (_, index) =>
        statusEvent(randomUUID(), String(index)),
      );
      const keys = events.map((event) => event.aggregateId);
      const first = recorder(keys);
      const second = recorder(keys);
      await subscribe({ group: 'fan-out-a', topics: ['orders'], handler: first.handler });
      await subscribe({ group: 'fan-out-b', topics: ['orders'], handler: second.handler });
      await fixture.harness.bus.publish(events);
      const ids = events.map((event) => event.id).sort();
      await waitFor(first.events, (seen) => seen.length >= 5);
      await waitFor(second.events, (seen) => seen.length >= 5);
      expect(first.events.map((event) => event.id).sort()).toEqual(ids);
      expect(second.events.map((event) => event.id).sort()).toEqual(ids);
    });

    it('shares a group between its instances, and hands over when one stops', async () => {
      const batch = (label: string) =>
        Array.from({ length: 6 }, (_, index) => statusEvent(randomUUID(), `${label}${index}`));
      const first = batch('first');
      const second = batch('second');
      const keys = [...first, ...second].map((event) => event.aggregateId);
      const instanceA = recorder(keys);
      const instanceB = recorder(keys);
      const a = await subscribe({
        group: 'shared',
        topics: ['orders'],
        handler: instanceA.handler,
      });
      await subscribe({ group: 'shared', topics: ['orders'], handler: instanceB.handler });
      const idsOf = (events: DomainEvent[]) => events.map((event) => event.id).sort();

      await fixture.harness.bus.publish(first);
      const both = () => [...instanceA.events, ...instanceB.events];
      await waitFor(both(), () => both().length >= first.length);
      expect(idsOf(both())).toEqual(idsOf(first));

      await a.close();
      const handledByA = instanceA.events.length;
      await fixture.harness.bus.publish(second);
      await waitFor(instanceB.events, () => both().length >= first.length + second.length);
      expect(instanceA.events).toHaveLength(handledByA);
      expect(idsOf(both())).toEqual(idsOf([...first, ...second]));
    });

    it('starts a new group after what was already published when asked for the latest only', async () => {
      const orderId = randomUUID(); // one key: 'before' would arrive first if it were delivered
      await fixture.harness.bus.publish([statusEvent(orderId, 'before')]);
      const received = recorder([orderId]);
      await subscribe({
        group: 'latest-only',
        topics: ['orders'],
        startFrom: 'latest',
        handler: received.handler,
      });
      await fixture.harness.bus.publish([statusEvent(orderId, 'after')]);
      await waitFor(received.events, (events) => events.length >= 1);
      expect(received.events.map(reasonOf)).toEqual(['after']);
    });

    it('resumes a group after its committed offset and redelivers what was not committed', async () => {
      const orderId = randomUUID(); // one key: one partition, so order shows what was skipped
      const [e1, e2, e3, e4] = ['1', '2', '3', '4'].map((reason) =>
        statusEvent(orderId, reason),
      ) as [DomainEvent, DomainEvent, DomainEvent, DomainEvent];
      const firstRun = recorder([orderId]);
      const first = await subscribe({
        group: 'restart',
        topics: ['orders'],
        handler: firstRun.handler,
      });
      await fixture.harness.bus.publish([e1, e2]);
      await waitFor(firstRun.events, (events) => events.length >= 2);
      await first.close();

      // Second run: e3 is handled when the consumer stops, and fails because of it.
      await fixture.harness.bus.publish([e3, e4]);
      const secondRun: DomainEvent[] = [];
      let interrupt: (error: Error) => void = () => undefined;
      const second = await subscribe({
        group: 'restart',
        topics: ['orders'],
        handler: async (event) => {
          if (event.aggregateId !== orderId) return;
          secondRun.push(event);
          return new Promise<void>((_, reject) => {
            interrupt = reject;
          });
        },
      });
      await waitFor(secondRun, (events) => events.length >= 1);
      const closing = second.close();
      interrupt(new Error('process going down'));
      await closing;
      expect(secondRun.map(reasonOf)).toEqual(['3']);

      // Third run: e1 and e2 were committed, e3 was not.
      const thirdRun = recorder([orderId]);
      await subscribe({ group: 'restart', topics: ['orders'], handler: thirdRun.handler });
      await waitFor(thirdRun.events, (events) => events.length >= 2);
      expect(thirdRun.events.map(reasonOf)).toEqual(['3', '4']);
    });

    it('keeps a group after its subscription closes, unless the group is ephemeral', async () => {
      const orderId = randomUUID();
      const lasting = recorder([orderId]);
      const passing = recorder([orderId]);
      const lastingSubscription = await fixture.harness.bus.subscribe({
        group: 'lasting',
        topics: ['orders'],
        handler: lasting.handler,
      });
      const passingSubscription = await fixture.harness.bus.subscribe({
        group: 'passing',
        ephemeral: true,
        topics: ['orders'],
        handler: passing.handler,
      });
      await fixture.harness.bus.publish([statusEvent(orderId, 'seen')]);
      await waitFor(lasting.events, (events) => events.length >= 1);
      await waitFor(passing.events, (events) => events.length >= 1);
      const namespace = fixture.harness.bus.namespace;
      expect(await fixture.harness.hasGroup(`${namespace}passing`)).toBe(true);

      await Promise.all([lastingSubscription.close(), passingSubscription.close()]);
      expect(await fixture.harness.hasGroup(`${namespace}lasting`)).toBe(true);
      expect(await fixture.harness.hasGroup(`${namespace}passing`)).toBe(false);
    });

    it('retries a failing handler, then dead-letters the event and moves on', async () => {
      const orderId = randomUUID();
      const [flaky, poison, after] = ['flaky', 'poison', 'after'].map((reason) =>
        statusEvent(orderId, reason),
      ) as [DomainEvent, DomainEvent, DomainEvent];
      const attempts = new Map<string, number[]>();
      const handled: string[] = [];
      await subscribe({
        group: 'retry',
        topics: ['orders'],
        handler: async (event, delivery) => {
          if (event.aggregateId !== orderId) return;
          const reason = reasonOf(event) ?? '';
          attempts.set(reason, [...(attempts.get(reason) ?? []), delivery.attempt]);
          if (reason === 'poison') throw new Error('cannot handle poison');
          if (reason === 'flaky' && delivery.attempt < 3) throw new Error('transient failure');
          handled.push(reason);
        },
      });
      await fixture.harness.bus.publish([flaky, poison, after]);
      await waitFor(handled, (reasons) => reasons.length >= 2);

      expect(handled).toEqual(['flaky', 'after']);
      expect(attempts.get('flaky')).toEqual([1, 2, 3]);
      expect(attempts.get('poison')).toEqual([1, 2, 3]);
      const [letter] = await fixture.harness.deadLetters(1);
      expect(letter).toMatchObject({ key: orderId, error: 'cannot handle poison', attempts: 3 });
      expect(letter?.value).toMatchObject({ id: poison.id, type: 'OrderStatusChanged' });
    });

    it('dead-letters an invalid envelope without calling the handler', async () => {
      const key = randomUUID();
      const received = recorder([key]);
      await subscribe({ group: 'invalid', topics: ['orders'], handler: received.handler });
      await fixture.harness.injectRaw('orders', key, {
        id: 'not-a-uuid',
        type: 'OrderPlaced',
        payload: {},
      });
      const valid = statusEvent(key, 'valid');
      await fixture.harness.bus.publish([valid]);
      await waitFor(received.events, (events) => events.length >= 1);

      expect(received.events.map((event) => event.id)).toEqual([valid.id]);
      const letters = await fixture.harness.deadLetters(2);
      const letter = letters.find((candidate) => candidate.key === key && candidate.attempts === 0);
      expect(letter?.error).toMatch(/invalid envelope/);
      expect(letter?.value).toEqual({ id: 'not-a-uuid', type: 'OrderPlaced', payload: {} });
    });
  });
}

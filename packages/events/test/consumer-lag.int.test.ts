import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEvent, type ConsumerLag } from '../src/index.ts';
import { eventually, implementations, testLogger, useBusHarness } from './bus-harness.ts';

/**
 * The `onLag` hook on both buses: a group held up by its handler reports the events it has yet to
 * commit, then 0 once it has caught up. 150 events: more than one Postgres-log read (100), so the
 * count taken after a full read is covered too.
 */
const EVENTS = 150;
const logger = testLogger();

for (const implementation of implementations) {
  describe(`consumer lag: ${implementation}`, () => {
    const fixture = useBusHarness(implementation, 'lag', logger);

    it('reports the backlog of a held-up group, then 0 once it has consumed it', async () => {
      // One key: one Kafka partition, so one series of reports to follow.
      const orderId = randomUUID();
      await fixture.harness.bus.publish(
        Array.from({ length: EVENTS }, (_, index) =>
          createEvent('OrderStatusChanged', orderId, {
            orderId,
            userId: 'user-1',
            from: 'PENDING',
            to: 'CONFIRMED',
            reason: String(index),
          }),
        ),
      );

      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let handled = 0;
      const reports: ConsumerLag[] = [];
      fixture.closeAfterAll(
        await fixture.harness.bus.subscribe({
          group: 'held-up',
          topics: ['orders'],
          onLag: (lag) => reports.push(lag),
          handler: async () => {
            await held;
            handled += 1;
          },
        }),
      );

      const whileHeld = await eventually(async () => reports.at(-1));
      expect(whileHeld.topic).toBe('orders');
      expect(whileHeld.events).toBe(EVENTS);
      if (implementation === 'kafka') expect(whileHeld.partition).toEqual(expect.any(Number));
      else expect(whileHeld.partition).toBeUndefined();
      expect(handled).toBe(0);

      release();
      await eventually(async () => (handled === EVENTS ? true : undefined), 30_000);
      const afterwards = await eventually(async () =>
        reports.at(-1)?.events === 0 ? reports.at(-1) : undefined,
      );
      expect(afterwards.partition).toBe(whileHeld.partition);
      // Every report in between counts down: never above the backlog, never below 0.
      expect(reports.every((lag) => lag.events >= 0 && lag.events <= EVENTS)).toBe(true);
    });
  });
}

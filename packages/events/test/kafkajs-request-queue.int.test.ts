import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEvent, type DomainEvent } from '../src/index.ts';
import {
  MENDED_KAFKAJS_VERSION,
  mendKafkajsRequestQueue,
  type KafkajsRequestQueue,
} from '../src/kafkajs-request-queue.ts';
import { testLogger, useBusHarness, waitFor } from './bus-harness.ts';

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: KafkajsRequestQueue;
};

/** A queue as kafkajs keeps it per connection, with only what the scheduling looks at. */
function queueState(state: Partial<KafkajsRequestQueue>): KafkajsRequestQueue & { checks: number } {
  const queue = Object.create(RequestQueue.prototype) as KafkajsRequestQueue & { checks: number };
  Object.assign(queue, {
    pending: [],
    throttledUntil: -1,
    throttleCheckTimeoutId: null,
    checks: 0,
  });
  queue.checkPendingRequests = () => void (queue.checks += 1);
  return Object.assign(queue, state);
}

describe('kafkajs request queue, mended', () => {
  const timers: ReturnType<typeof setTimeout>[] = [];
  afterEach(() => timers.splice(0).forEach(clearTimeout));

  it('is the kafkajs version the mend was written for (an upgrade fails here until it is looked at again)', () => {
    expect(mendKafkajsRequestQueue()).toEqual({ mended: true, version: MENDED_KAFKAJS_VERSION });
  });

  it('schedules no check while no request waits, and one while requests wait', async () => {
    mendKafkajsRequestQueue();
    const idle = queueState({});
    idle.scheduleCheckPendingRequests();
    expect(idle.throttleCheckTimeoutId).toBeNull();

    const waiting = queueState({ pending: [{}] });
    waiting.scheduleCheckPendingRequests();
    expect(waiting.throttleCheckTimeoutId).not.toBeNull();
    timers.push(waiting.throttleCheckTimeoutId!);
    await sleep(50);
    expect(waiting.checks).toBe(1);
    expect(waiting.throttleCheckTimeoutId).toBeNull();
  });

  it('checks a throttled queue when the throttle ends, not before', async () => {
    mendKafkajsRequestQueue();
    const throttled = queueState({ pending: [{}], throttledUntil: Date.now() + 300 });
    throttled.scheduleCheckPendingRequests();
    timers.push(throttled.throttleCheckTimeoutId!);
    await sleep(100);
    expect(throttled.checks).toBe(0);
    await sleep(400);
    expect(throttled.checks).toBe(1);
  });

  describe('on a real broker', () => {
    const fixture = useBusHarness('kafka', 'kafkajs-queue', testLogger());

    it('leaves idle connections quiet and still delivers what is published after the quiet', async () => {
      const original = RequestQueue.prototype.checkPendingRequests;
      let checks = 0;
      RequestQueue.prototype.checkPendingRequests = function countedCheck(
        this: KafkajsRequestQueue,
      ) {
        checks += 1;
        original.call(this);
      };
      try {
        const orderId = randomUUID();
        const received: DomainEvent[] = [];
        fixture.closeAfterAll(
          await fixture.harness.bus.subscribe({
            group: 'quiet',
            topics: ['orders'],
            handler: async (event) => void (event.aggregateId === orderId && received.push(event)),
          }),
        );
        checks = 0;
        await sleep(1_000);
        // Unmended, every connection (producer, consumers, coordinator) re-checks about every
        // millisecond: thousands in this second. Mended, only responses trigger a check.
        expect(checks).toBeLessThan(200);

        await fixture.harness.bus.publish([
          createEvent('OrderStatusChanged', orderId, {
            orderId,
            userId: 'user-1',
            from: 'PENDING',
            to: 'CONFIRMED',
            reason: 'after a quiet second',
          }),
        ]);
        await waitFor(received, (events) => events.length === 1);
        expect(received[0]?.aggregateId).toBe(orderId);
      } finally {
        RequestQueue.prototype.checkPendingRequests = original;
      }
    });
  });
});

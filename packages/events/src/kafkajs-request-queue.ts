import { createRequire } from 'node:module';

/** The kafkajs release whose request queue this mends (its last: the project is unmaintained). */
export const MENDED_KAFKAJS_VERSION = '2.2.4';

/** What this file touches of kafkajs's per-connection request queue (`src/network/requestQueue`). */
export interface KafkajsRequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs's own pause between two looks at a queue whose requests cannot be sent yet. */
const RECHECK_INTERVAL_MS = 10;

/**
 * kafkajs 2.2.4 re-arms a timer on every broker connection as soon as it fires when no request
 * is waiting (the delay it computes is then negative: tulios/kafkajs#1556, #1704), so an idle
 * connection runs its queue check about a thousand times a second. Measured here: 2–5% of a core
 * per idle service, a quarter of this two-core machine for the whole stack at rest.
 *
 * The replacement schedules a check only while requests wait: at the end of the broker's
 * throttle, or after kafkajs's own interval. With nothing waiting there is nothing to check:
 * `push` sends a new request at once or schedules this itself, and every response re-checks
 * the queue (`fulfillRequest`), which is how kafkajs moves waiting requests along anyway.
 */
function scheduleCheckWhileRequestsWait(this: KafkajsRequestQueue): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilThrottleEnds = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilThrottleEnds > 0 ? untilThrottleEnds : RECHECK_INTERVAL_MS,
  );
}

let mended = false;

/**
 * Mends the request queue of the installed kafkajs, once per process, before any client is made.
 * Another kafkajs version is left as it is (with a warning from the caller): the mend is written
 * for 2.2.4's queue, and the events suite fails on an upgrade until someone looks again.
 */
export function mendKafkajsRequestQueue(): { mended: boolean; version: string } {
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== MENDED_KAFKAJS_VERSION) return { mended: false, version };
  if (!mended) {
    const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
      prototype: KafkajsRequestQueue;
    };
    RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckWhileRequestsWait;
    mended = true;
  }
  return { mended: true, version };
}

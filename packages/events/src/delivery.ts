import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@microshop/runtime';
import type { Delivery, EventHandler, RetryPolicy } from './bus.ts';
import { eventFrom, type DomainEvent } from './envelope.ts';

export type DeliveryOutcome =
  /** The handler succeeded: commit. */
  | 'handled'
  /** Invalid, or still failing after every attempt, and now in the dead letter: commit. */
  | 'dead-lettered'
  /** The consumer is stopping: do not commit, the next consumer of the group gets it again. */
  | 'interrupted';

export interface DeadLetter {
  /** Why the event was given up on (the handler's last error, or why it is invalid). */
  error: string;
  /** Handler attempts made (0 for an invalid envelope). */
  attempts: number;
}

export interface DeliverOptions {
  /** The message as read from the bus: JSON text (Kafka) or an already parsed value (Postgres). */
  raw: string | unknown;
  delivery: Omit<Delivery, 'attempt'>;
  handler: EventHandler;
  retry: RetryPolicy;
  logger: Logger;
  deadLetter: (letter: DeadLetter) => Promise<void>;
  /** Aborted when the consumer stops: ends a backoff wait early. */
  signal: AbortSignal;
  /** Called between attempts, so a broker does not think a consumer in backoff is gone. */
  heartbeat?: () => Promise<void>;
}

/**
 * Validates one message and runs the handler with retries and exponential backoff; gives up to
 * the dead letter so a poison message never blocks its partition.
 */
export async function deliver(options: DeliverOptions): Promise<DeliveryOutcome> {
  const { delivery, retry, signal } = options;
  let event: DomainEvent;
  try {
    event = eventFrom(options.raw);
  } catch (error) {
    const reason = errorMessage(error);
    options.logger.error({ ...delivery, err: reason }, 'invalid event: dead-lettered');
    await options.deadLetter({ error: reason, attempts: 0 });
    return 'dead-lettered';
  }

  const log = options.logger.child({
    requestId: event.requestId,
    eventId: event.id,
    eventType: event.type,
    topic: delivery.topic,
  });
  for (let attempt = 1; ; attempt += 1) {
    try {
      await options.handler(event, { ...delivery, attempt });
      return 'handled';
    } catch (error) {
      if (signal.aborted) return 'interrupted';
      if (attempt >= retry.attempts) {
        log.error({ err: error, attempt }, 'event handling failed for good: dead-lettered');
        await options.deadLetter({ error: errorMessage(error), attempts: attempt });
        return 'dead-lettered';
      }
      log.warn({ err: error, attempt }, 'event handling failed: retrying');
    }
    try {
      await sleep(backoffDelay(retry, attempt), undefined, { signal });
    } catch {
      return 'interrupted';
    }
    await options.heartbeat?.();
  }
}

/** The wait after failed attempt number `attempt` (1-based): exponential, capped. */
export function backoffDelay(retry: RetryPolicy, attempt: number): number {
  return Math.min(retry.initialDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

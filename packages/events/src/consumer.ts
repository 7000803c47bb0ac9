import type { Db, Tx } from '@microshop/db';
import type { Logger } from '@microshop/runtime';
import { contextFromTraceparent, inSpan, SpanKind, tracerOf } from '@microshop/telemetry';
import {
  groupId,
  type Delivery,
  type EventBus,
  type EventHandler,
  type RetryPolicy,
  type Subscription,
} from './bus.ts';
import type { DomainEvent, Topic } from './envelope.ts';

export interface EventContext extends Delivery {
  /** The consumer's logger, carrying the event's requestId, id and type. */
  log: Logger;
}

/**
 * Applies one event inside the transaction that also records it as processed: its writes
 * (including appendToOutbox) commit together with that record, or not at all.
 */
export type ConsumedEventHandler = (
  tx: Tx,
  event: DomainEvent,
  context: EventContext,
) => Promise<void>;

/** One consumer group a service runs (its `events.ts` lists them; `start.ts` starts each). */
export interface EventConsumerSpec {
  /** Consumer group, without the namespace (the bus prefixes it). */
  group: string;
  topics: readonly Topic[];
  handle: ConsumedEventHandler;
  retry?: Partial<RetryPolicy>;
}

export interface EventConsumerOptions extends EventConsumerSpec {
  bus: EventBus;
  db: Db;
  logger: Logger;
  startFrom?: 'earliest' | 'latest';
  /** Longest the handling transaction may run. */
  transactionTimeoutMs?: number;
  /**
   * The consuming service, whose tracer records each handling as a span; defaults to the `service`
   * its logger names (createLogger(service, ...)).
   */
  service?: string;
}

/**
 * Consumes `topics` as `group`, exactly once in effect: each event is handled in one Prisma
 * transaction that first inserts (group, event id) into processed_events; when that row is
 * already there the event was handled before and is skipped. Failures roll the transaction back
 * and are retried by the bus with backoff, then dead-lettered.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<Subscription> {
  const { bus, db, handle } = options;
  const consumer = groupId(bus.namespace, options.group);
  const logger = options.logger.child({ consumer });
  const handleOnce: EventHandler = async (event, delivery) => {
    const log = logger.child({
      requestId: event.requestId,
      eventId: event.id,
      eventType: event.type,
      aggregateId: event.aggregateId,
    });
    const handled = await db.$transaction(
      async (tx) => {
        // Waits on a concurrent delivery of the same event until it commits or rolls back.
        const { count } = await tx.processedEvent.createMany({
          data: [{ consumer, eventId: event.id }],
          skipDuplicates: true,
        });
        if (count === 0) return false;
        await handle(tx, event, { ...delivery, log });
        return true;
      },
      { maxWait: 10_000, timeout: options.transactionTimeoutMs ?? 30_000 },
    );
    if (handled) log.debug({ attempt: delivery.attempt }, 'event handled');
    else log.info('event already handled: skipped');
  };
  const service: unknown = options.service ?? options.logger.bindings().service;
  const tracer = typeof service === 'string' ? tracerOf(service) : undefined;
  return bus.subscribe({
    group: options.group,
    topics: options.topics,
    ...(options.startFrom ? { startFrom: options.startFrom } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    // Traced: each attempt is a CONSUMER span, child of the trace the event was written in, and
    // active while the handler runs, so the events it writes carry the same trace on.
    handler: tracer
      ? (event, delivery) =>
          inSpan(
            tracer,
            `process ${event.type}`,
            {
              kind: SpanKind.CONSUMER,
              parent: contextFromTraceparent(event.traceparent),
              attributes: {
                'messaging.system': bus.kind,
                'messaging.operation.type': 'process',
                'messaging.destination.name': bus.namespace + delivery.topic,
                'messaging.consumer.group.name': consumer,
                'messaging.message.id': event.id,
                'microshop.event.type': event.type,
                'microshop.delivery.attempt': delivery.attempt,
                ...(event.requestId ? { 'microshop.request_id': event.requestId } : {}),
              },
            },
            () => handleOnce(event, delivery),
          )
      : handleOnce,
  });
}

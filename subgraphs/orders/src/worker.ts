import type { Config } from '@microshop/config';
import { createEventBus, startEventConsumer, startEventRetention } from '@microshop/events';
import { openInOrder, type Logger } from '@microshop/runtime';
import { AfterOrderRepository } from './after-order.repository.ts';
import { DiscountRepository } from './discount.repository.ts';
import { consumers } from './events.ts';
import { OrderRepository } from './order.repository.ts';
import { OrderTransitions } from './order-transitions.ts';
import { SagaOutcomes } from './saga-outcomes.ts';
import { connectOrdersDatabase } from './start.ts';
import { TimelineEvents } from './timeline-events.ts';

export interface RunningWorker {
  close(): Promise<void>;
}

/**
 * The orders saga worker, its own process: applies stock and payment outcomes to orders
 * (StockRejected -> CANCELLED, PaymentAuthorized -> CONFIRMED, PaymentDeclined ->
 * PAYMENT_FAILED) and writes payments events into the order timeline. Each event is one
 * transaction: status, history row, OrderStatusChanged outbox row, timeline row and the processed
 * event id. Its outbox rows are published by the orders process's relay.
 * It also sweeps expired rows from the shared event tables (EVENT_RETENTION_HOURS).
 */
export async function startWorker(config: Config, logger: Logger): Promise<RunningWorker> {
  const { close } = await openInOrder(async (onClose) => {
    const db = connectOrdersDatabase(config);
    onClose(() => db.$disconnect());
    const bus = await createEventBus(config, { db, logger });
    onClose(() => bus.close());
    const sagaOutcomes = new SagaOutcomes(
      new OrderTransitions(new OrderRepository(db), new DiscountRepository(db)),
    );
    const timeline = new TimelineEvents(new AfterOrderRepository(db));
    const running = consumers({
      sagaOutcomes: sagaOutcomes.handleOutcomeEvent,
      timeline: timeline.handleTimelineEvent,
    });
    for (const consumer of running) {
      const subscription = await startEventConsumer({ bus, db, logger, ...consumer });
      onClose(() => subscription.close());
    }
    // The housekeeping of the event tables every service writes to: one worker is always running.
    const retention = startEventRetention({ db, logger, retentionMs: config.eventRetentionMs });
    onClose(() => retention.close());
    logger.info(
      { consumers: running.map(({ group, topics }) => ({ group, topics })) },
      'orders worker running',
    );
  });
  return { close };
}

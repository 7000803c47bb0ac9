import type { Tx } from '@microshop/db';
import {
  appendToOutbox,
  createEvent,
  type DomainEvent,
  type EventContext,
} from '@microshop/events';
import { outboxSource } from './events.ts';
import type { PaymentProvider } from './payment-provider.ts';
import type { PaymentRefunds } from './payment-refunds.ts';
import type {
  IntentPart,
  PaymentIntentRecord,
  PaymentRecord,
  PaymentRepository,
} from './payment.repository.ts';

/**
 * Payments' part of the order saga, run by startEventConsumer inside the transaction that records
 * each event as processed:
 * - OrderPlaced remembers amount and token; StockReserved says stock is held. Whichever arrives
 *   second (they come on two topics, in no guaranteed order) authorizes, unless the order was
 *   cancelled meanwhile -> PaymentAuthorized / PaymentDeclined.
 * - OrderStatusChanged to CANCELLED refunds an AUTHORIZED payment (PaymentRefunded); to SHIPPED
 *   captures it (PaymentCaptured): only captured money can be refunded later.
 * - ReturnApproved refunds the return's amount, capped at what is captured and not refunded yet
 *   (RefundIssued), once per return.
 * One payment per order (unique order id) and idempotency keys per order at the provider: a
 * redelivered or retried event never charges twice.
 */
export class PaymentSaga {
  constructor(
    private readonly repository: PaymentRepository,
    private readonly provider: PaymentProvider,
    private readonly refunds: PaymentRefunds,
  ) {}

  handleSagaEvent = async (tx: Tx, event: DomainEvent, context: EventContext): Promise<void> => {
    switch (event.type) {
      case 'OrderPlaced': {
        const { orderId, userId, total, paymentToken } = event.payload;
        await this.recordAndAuthorize(tx, event, context, orderId, {
          kind: 'placed',
          userId,
          amount: total.amount,
          currency: total.currency,
          paymentToken,
        });
        return;
      }
      case 'StockReserved':
        await this.recordAndAuthorize(tx, event, context, event.payload.orderId, {
          kind: 'stock-reserved',
        });
        return;
      case 'OrderStatusChanged':
        if (event.payload.to === 'CANCELLED') {
          await this.repository.recordIntentPart(tx, event.payload.orderId, { kind: 'cancelled' });
          await this.settleIfAuthorized(tx, event, context, 'refund');
        } else if (event.payload.to === 'SHIPPED') {
          await this.settleIfAuthorized(tx, event, context, 'capture');
        }
        return;
      case 'ReturnApproved':
        await this.refundReturn(tx, event, context);
        return;
      default:
        return;
    }
  };

  private async recordAndAuthorize(
    tx: Tx,
    event: DomainEvent,
    context: EventContext,
    orderId: string,
    part: IntentPart,
  ): Promise<void> {
    const intent = await this.repository.recordIntentPart(tx, orderId, part);
    if (!isReadyToCharge(intent)) return;
    if (await this.repository.paymentOfOrder(tx, orderId)) return; // charged already
    const { amount, currency, paymentToken, userId } = intent;
    const result = await this.provider.authorize({
      idempotencyKey: `authorize:${orderId}`,
      amount: { amount, currency },
      token: paymentToken,
    });
    const payment = await this.repository.create(tx, {
      orderId,
      userId,
      amount,
      currency,
      status: result.approved ? 'AUTHORIZED' : 'DECLINED',
      failureReason: result.approved ? null : result.reason,
      providerReference: result.approved ? result.reference : null,
    });
    await appendToOutbox(tx, outboxSource, [
      result.approved
        ? createEvent(
            'PaymentAuthorized',
            orderId,
            { orderId, paymentId: payment.id, amount: { amount, currency } },
            event.requestId,
          )
        : createEvent(
            'PaymentDeclined',
            orderId,
            { orderId, paymentId: payment.id, reason: result.reason },
            event.requestId,
          ),
    ]);
    context.log.info(
      { orderId, paymentId: payment.id, status: payment.status },
      result.approved ? 'payment authorized' : 'payment declined',
    );
  }

  /**
   * Settles an AUTHORIZED payment when its order is cancelled (refund: the authorization is
   * released, PaymentRefunded) or shipped (capture: the amount is charged, PaymentCaptured).
   */
  private async settleIfAuthorized(
    tx: Tx,
    event: DomainEvent<'OrderStatusChanged'>,
    context: EventContext,
    operation: 'capture' | 'refund',
  ): Promise<void> {
    const { orderId } = event.payload;
    const payment = await this.repository.paymentOfOrder(tx, orderId);
    if (payment?.status !== 'AUTHORIZED') return;
    await this.provider[operation](settlement(operation, payment));
    // A capture charges the authorized amount in full; a release charges nothing.
    const settled =
      operation === 'capture'
        ? await this.repository.changeStatus(tx, payment.id, 'AUTHORIZED', 'CAPTURED', {
            capturedAmount: payment.amount,
          })
        : await this.repository.changeStatus(tx, payment.id, 'AUTHORIZED', 'REFUNDED');
    if (!settled) return;
    await appendToOutbox(tx, outboxSource, [
      createEvent(
        operation === 'capture' ? 'PaymentCaptured' : 'PaymentRefunded',
        orderId,
        {
          orderId,
          paymentId: payment.id,
          amount: { amount: payment.amount, currency: payment.currency },
        },
        event.requestId,
      ),
    ]);
    context.log.info(
      { orderId, paymentId: payment.id },
      operation === 'capture' ? 'payment captured' : 'payment refunded',
    );
  }

  /** An approved return gets what it cost back, or what is left of the captured amount. */
  private async refundReturn(
    tx: Tx,
    event: DomainEvent<'ReturnApproved'>,
    context: EventContext,
  ): Promise<void> {
    const { orderId, returnRequestId, amount, approvedBy } = event.payload;
    const log = context.log.child({ orderId, returnRequestId });
    // Earlier refunds (e.g. an ADMIN's) may have given part of it back: then the rest.
    const outcome = await this.refunds.refund(tx, {
      orderId,
      amount: amount.amount,
      capAtRefundable: true,
      reason: `return ${returnRequestId} approved`,
      requestedBy: approvedBy,
      key: { returnRequestId },
      requestId: event.requestId,
    });
    if (outcome.kind === 'refunded') {
      log.info({ refundId: outcome.refund.id, amount: outcome.refund.amount }, 'return refunded');
    } else {
      log.warn({ outcome: outcome.kind }, 'approved return not refunded: nothing left to refund');
    }
  }
}

type ChargeableIntent = PaymentIntentRecord & {
  userId: string;
  amount: number;
  currency: string;
  paymentToken: string;
};

/** Placed (amount and token known), stock held, and not cancelled. */
function isReadyToCharge(intent: PaymentIntentRecord): intent is ChargeableIntent {
  return (
    intent.userId !== null &&
    intent.amount !== null &&
    intent.currency !== null &&
    intent.paymentToken !== null &&
    intent.stockReservedAt !== null &&
    intent.cancelledAt === null
  );
}

function settlement(operation: 'capture' | 'refund', payment: PaymentRecord) {
  if (!payment.providerReference) {
    throw new Error(`authorized payment ${payment.id} has no provider reference`);
  }
  return {
    idempotencyKey: `${operation}:${payment.orderId}`,
    reference: payment.providerReference,
    amount: { amount: payment.amount, currency: payment.currency },
  };
}

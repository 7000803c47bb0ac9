import type { Tx } from '@microshop/db';
import { appendToOutbox, createEvent } from '@microshop/events';
import { outboxSource } from './events.ts';
import type { PaymentProvider } from './payment-provider.ts';
import type { PaymentRecord, PaymentRepository, RefundRecord } from './payment.repository.ts';

/** One refund asked for: by an ADMIN (refundOrder) or for an approved return (the saga). */
export interface RefundRequest {
  orderId: string;
  /** Minor units; null: all that was captured and not refunded yet. */
  amount: number | null;
  /**
   * True: an amount above what is left refunds what is left (an approved return after earlier
   * refunds); otherwise it is refused (exceeds-captured).
   */
  capAtRefundable?: boolean;
  reason: string;
  /** Who asks: the ADMIN's user id (for a return, the ADMIN who approved it). */
  requestedBy: string;
  /** What makes a retry find the first refund instead of making a second one. */
  key: { idempotencyKey: string } | { returnRequestId: string };
  requestId: string | undefined;
}

/** What became of a refund request. */
export type RefundOutcome =
  | { kind: 'refunded'; refund: RefundRecord; payment: PaymentRecord }
  | { kind: 'no-payment' }
  | { kind: 'nothing-captured'; payment: PaymentRecord }
  | { kind: 'exceeds-captured'; payment: PaymentRecord; refundable: number };

/**
 * The one way money goes back from a captured payment (refundOrder and approved returns alike),
 * in the caller's transaction: the payment row is locked first, so concurrent refunds of one order
 * queue and each sees what the previous one refunded; the sum of refunds never exceeds the
 * captured amount. A request whose key already made a refund gets that refund back. The provider
 * is called with an idempotency key derived from the request's key, so a retry after a crash
 * between the provider's answer and the commit never gives money back twice. The refund row,
 * the payment's refunded amount and status, and RefundIssued commit together or not at all.
 */
export class PaymentRefunds {
  constructor(
    private readonly repository: PaymentRepository,
    private readonly provider: PaymentProvider,
  ) {}

  async refund(tx: Tx, request: RefundRequest): Promise<RefundOutcome> {
    const payment = await this.repository.lockPaymentOfOrder(tx, request.orderId);
    if (!payment) return { kind: 'no-payment' };
    const earlier = await this.repository.findRefund(tx, payment.id, request.key);
    if (earlier) return { kind: 'refunded', refund: earlier, payment };
    if (payment.capturedAmount === 0 || !payment.providerReference) {
      return { kind: 'nothing-captured', payment };
    }
    const refundable = payment.capturedAmount - payment.refundedAmount;
    const amount =
      request.amount === null
        ? refundable
        : request.capAtRefundable
          ? Math.min(request.amount, refundable)
          : request.amount;
    if (amount === 0 || amount > refundable) {
      return { kind: 'exceeds-captured', payment, refundable };
    }
    const keyText =
      'idempotencyKey' in request.key
        ? request.key.idempotencyKey
        : `return:${request.key.returnRequestId}`;
    await this.provider.refund({
      idempotencyKey: `refund:${payment.orderId}:${keyText}`,
      reference: payment.providerReference,
      amount: { amount, currency: payment.currency },
    });
    const recorded = await this.repository.recordRefund(tx, payment, {
      paymentId: payment.id,
      orderId: payment.orderId,
      amount,
      currency: payment.currency,
      reason: request.reason,
      idempotencyKey: 'idempotencyKey' in request.key ? request.key.idempotencyKey : null,
      returnRequestId: 'returnRequestId' in request.key ? request.key.returnRequestId : null,
      requestedBy: request.requestedBy,
    });
    await appendToOutbox(tx, outboxSource, [
      createEvent(
        'RefundIssued',
        payment.orderId,
        {
          orderId: payment.orderId,
          paymentId: payment.id,
          refundId: recorded.refund.id,
          amount: { amount, currency: payment.currency },
          refundedTotal: { amount: recorded.payment.refundedAmount, currency: payment.currency },
          fullyRefunded: recorded.payment.status === 'REFUNDED',
          reason: request.reason,
          returnRequestId: recorded.refund.returnRequestId,
          // A return's refund follows the ADMIN's approval, made by payments on its own.
          actor: 'returnRequestId' in request.key ? 'SYSTEM' : 'ADMIN',
        },
        request.requestId,
      ),
    ]);
    return { kind: 'refunded', ...recorded };
  }
}

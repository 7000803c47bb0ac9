import type { Db, Prisma, Tx } from '@microshop/db';

export type PaymentRecord = Prisma.PaymentModel;
export type PaymentIntentRecord = Prisma.PaymentIntentModel;
export type PaymentStatus = PaymentRecord['status'];
export type RefundRecord = Prisma.RefundModel;

export type NewRefund = Pick<
  RefundRecord,
  | 'paymentId'
  | 'orderId'
  | 'amount'
  | 'currency'
  | 'reason'
  | 'idempotencyKey'
  | 'returnRequestId'
  | 'requestedBy'
>;

/** One saga event's part of what payments must know about an order before charging it. */
export type IntentPart =
  | { kind: 'placed'; userId: string; amount: number; currency: string; paymentToken: string }
  | { kind: 'stock-reserved' }
  | { kind: 'cancelled' };

/** The only data access of the payments domain. */
export class PaymentRepository {
  constructor(private readonly db: Db) {}

  findByIds(ids: readonly string[]): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({ where: { id: { in: [...ids] } } });
  }

  findByOrderIds(orderIds: readonly string[]): Promise<PaymentRecord[]> {
    return this.db.payment.findMany({ where: { orderId: { in: [...orderIds] } } });
  }

  /**
   * Records one part of an order's intent and returns the whole of it. A single INSERT ... ON
   * CONFLICT DO UPDATE: concurrent parts of one order queue on its row, and the later one sees
   * what the earlier one committed, so exactly one of them finds the picture complete.
   */
  async recordIntentPart(tx: Tx, orderId: string, part: IntentPart): Promise<PaymentIntentRecord> {
    const fields =
      part.kind === 'placed'
        ? {
            userId: part.userId,
            amount: part.amount,
            currency: part.currency,
            paymentToken: part.paymentToken,
          }
        : part.kind === 'stock-reserved'
          ? { stockReservedAt: new Date() }
          : { cancelledAt: new Date() };
    return tx.paymentIntent.upsert({
      where: { orderId },
      create: { orderId, ...fields },
      update: fields,
    });
  }

  refundsOf(paymentIds: readonly string[]): Promise<RefundRecord[]> {
    return this.db.refund.findMany({
      where: { paymentId: { in: [...paymentIds] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /**
   * Reads an order's payment and locks its row until the transaction ends, so refunds of one
   * order run one after the other, each seeing the refunded amount the previous one left.
   */
  async lockPaymentOfOrder(tx: Tx, orderId: string): Promise<PaymentRecord | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM payments WHERE order_id = ${orderId} FOR UPDATE`;
    if (locked.length === 0) return null;
    return tx.payment.findUnique({ where: { orderId } });
  }

  /** The refund an earlier request with this key (ADMIN) or for this return already made. */
  findRefund(
    tx: Tx,
    paymentId: string,
    key: { idempotencyKey: string } | { returnRequestId: string },
  ): Promise<RefundRecord | null> {
    return tx.refund.findFirst({ where: { paymentId, ...key } });
  }

  /** Writes a refund and adds it to its (locked) payment's refunded amount and status. */
  async recordRefund(
    tx: Tx,
    payment: PaymentRecord,
    refund: NewRefund,
  ): Promise<{ refund: RefundRecord; payment: PaymentRecord }> {
    const created = await tx.refund.create({ data: refund });
    const refundedAmount = payment.refundedAmount + refund.amount;
    const updated = await tx.payment.update({
      where: { id: payment.id },
      data: {
        refundedAmount,
        status: refundedAmount === payment.capturedAmount ? 'REFUNDED' : 'PARTIALLY_REFUNDED',
      },
    });
    return { refund: created, payment: updated };
  }

  paymentOfOrder(tx: Tx, orderId: string): Promise<PaymentRecord | null> {
    return tx.payment.findUnique({ where: { orderId } });
  }

  create(
    tx: Tx,
    payment: Pick<
      PaymentRecord,
      | 'orderId'
      | 'userId'
      | 'amount'
      | 'currency'
      | 'status'
      | 'failureReason'
      | 'providerReference'
    >,
  ): Promise<PaymentRecord> {
    return tx.payment.create({ data: payment });
  }

  /**
   * Moves a payment from `from` to `to`, with `changes` written beside the status (a capture's
   * amount); null when it was not in `from` (already moved).
   */
  async changeStatus(
    tx: Tx,
    id: string,
    from: PaymentStatus,
    to: PaymentStatus,
    changes: Pick<Prisma.PaymentUpdateManyMutationInput, 'capturedAmount'> = {},
  ): Promise<PaymentRecord | null> {
    const { count } = await tx.payment.updateMany({
      where: { id, status: from },
      data: { ...changes, status: to },
    });
    return count === 1 ? tx.payment.findUnique({ where: { id } }) : null;
  }
}

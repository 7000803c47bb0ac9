import { requireAdmin } from '@microshop/auth';
import { REQUEST_TRANSACTION_OPTIONS, type Db } from '@microshop/db';
import {
  badUserInput,
  boundedText,
  userError,
  type RequestContext,
  type UserError,
} from '@microshop/runtime';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { PaymentRefunds } from './payment-refunds.ts';
import type { PaymentRecord, RefundRecord } from './payment.repository.ts';

export interface RefundOrderInput {
  orderId: string;
  amount?: number | null;
  reason: string;
  idempotencyKey: string;
}

export interface RefundPayload {
  refund: RefundRecord | null;
  payment: PaymentRecord | null;
  userErrors: UserError<UserErrorCode>[];
}

const MAX_KEY_LENGTH = 128;
const MAX_REASON_LENGTH = 500;

/** refundOrder: an ADMIN gives captured money back (the rules are PaymentRefunds'). */
export class RefundService {
  constructor(
    private readonly db: Db,
    private readonly refunds: PaymentRefunds,
  ) {}

  async refundOrder(ctx: RequestContext, input: RefundOrderInput): Promise<RefundPayload> {
    const admin = requireAdmin(ctx.principal);
    const idempotencyKey = boundedText(input.idempotencyKey, MAX_KEY_LENGTH, [
      'input',
      'idempotencyKey',
    ]);
    const reason = boundedText(input.reason, MAX_REASON_LENGTH, ['input', 'reason']);
    const amount = input.amount ?? null;
    if (amount !== null && amount < 1) {
      throw badUserInput('amount must be at least 1 (minor units)', ['input', 'amount']);
    }
    const outcome = await this.db.$transaction(
      (tx) =>
        this.refunds.refund(tx, {
          orderId: input.orderId,
          amount,
          reason,
          requestedBy: admin.userId,
          key: { idempotencyKey },
          requestId: ctx.requestId,
        }),
      REQUEST_TRANSACTION_OPTIONS,
    );
    switch (outcome.kind) {
      case 'refunded':
        ctx.log.info(
          { orderId: input.orderId, refundId: outcome.refund.id, amount: outcome.refund.amount },
          'refund issued',
        );
        return { refund: outcome.refund, payment: outcome.payment, userErrors: [] };
      case 'no-payment':
        return {
          refund: null,
          payment: null,
          userErrors: [
            userError(UserErrorCode.PAYMENT_NOT_FOUND, 'This order has no payment', [
              'input',
              'orderId',
            ]),
          ],
        };
      case 'nothing-captured':
        return {
          refund: null,
          payment: outcome.payment,
          userErrors: [
            userError(
              UserErrorCode.NOTHING_CAPTURED,
              `Nothing of this payment was captured (it is ${outcome.payment.status}); money is captured when the order ships`,
              ['input', 'orderId'],
            ),
          ],
        };
      case 'exceeds-captured':
        return {
          refund: null,
          payment: outcome.payment,
          userErrors: [
            userError(
              UserErrorCode.REFUND_EXCEEDS_CAPTURED,
              `At most ${outcome.refundable} (minor units) of this payment can still be refunded`,
              ['input', 'amount'],
            ),
          ],
        };
    }
  }
}

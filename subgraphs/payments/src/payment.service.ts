import { requireOwnerOrAdmin, requireUser } from '@microshop/auth';
import type { RequestContext } from '@microshop/runtime';
import type { PaymentLoaders } from './loaders.ts';
import type { PaymentRecord, RefundRecord } from './payment.repository.ts';

/** The read side of payments: a payment is visible to its order's owner and to ADMINs. */
export class PaymentService {
  constructor(private readonly loaders: PaymentLoaders) {}

  private authorize(ctx: RequestContext, payment: PaymentRecord | null): PaymentRecord | null {
    requireUser(ctx.principal);
    if (payment)
      requireOwnerOrAdmin(ctx.principal, payment.userId, 'Not allowed to see this payment');
    return payment;
  }

  async paymentOfOrder(ctx: RequestContext, orderId: string): Promise<PaymentRecord | null> {
    return this.authorize(ctx, await this.loaders.paymentByOrderId.load(orderId));
  }

  async payment(ctx: RequestContext, id: string): Promise<PaymentRecord | null> {
    return this.authorize(ctx, await this.loaders.paymentById.load(id));
  }

  /** The refunds of a payment the caller was allowed to read, for every payment of the request at once. */
  refundsOf(payment: PaymentRecord): Promise<RefundRecord[]> {
    return this.loaders.refundsByPaymentId.load(payment.id);
  }
}

import { forbidden, requireUser, type Principal } from '@microshop/auth';
import type { RequestContext } from '@microshop/runtime';
import type { PaymentLoaders } from './context.ts';
import type { PaymentRecord } from './payment.repository.ts';

/** The read side of payments: a payment is visible to its order's owner and to ADMINs. */
export class PaymentService {
  private authorize(
    principal: Principal | null,
    payment: PaymentRecord | null,
  ): PaymentRecord | null {
    const caller = requireUser(principal);
    if (payment && payment.userId !== caller.userId && caller.role !== 'ADMIN') {
      throw forbidden('Not allowed to see this payment');
    }
    return payment;
  }

  async paymentOfOrder(
    ctx: RequestContext & { loaders: PaymentLoaders },
    orderId: string,
  ): Promise<PaymentRecord | null> {
    return this.authorize(ctx.principal, await ctx.loaders.paymentByOrderId.load(orderId));
  }

  async payment(
    ctx: RequestContext & { loaders: PaymentLoaders },
    id: string,
  ): Promise<PaymentRecord | null> {
    return this.authorize(ctx.principal, await ctx.loaders.paymentById.load(id));
  }
}

import { DateTimeScalar } from '@microshop/runtime';
import type { Resolvers } from './generated/resolvers-types.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Payment: {
    __resolveReference: (reference, ctx) => ctx.payments.payment(ctx, reference.id),
    order: (payment) => ({ id: payment.orderId }),
    amount: (payment) => ({ amount: payment.amount, currency: payment.currency }),
  },

  Order: {
    payment: (order, _args, ctx) => ctx.payments.paymentOfOrder(ctx, order.id),
  },
};

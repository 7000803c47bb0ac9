import { DateTimeScalar } from '@microshop/runtime';
import type { Resolvers } from './generated/resolvers-types.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Payment: {
    __resolveReference: (reference, ctx) => ctx.payments.payment(ctx, reference.id),
    order: (payment) => ({ id: payment.orderId }),
    amount: (payment) => ({ amount: payment.amount, currency: payment.currency }),
    capturedAmount: (payment) => ({ amount: payment.capturedAmount, currency: payment.currency }),
    refundedAmount: (payment) => ({ amount: payment.refundedAmount, currency: payment.currency }),
    refunds: (payment, _args, ctx) => ctx.payments.refundsOf(payment),
  },

  Refund: {
    amount: (refund) => ({ amount: refund.amount, currency: refund.currency }),
  },

  Mutation: {
    refundOrder: (_parent, { input }, ctx) => ctx.refunds.refundOrder(ctx, input),
  },

  Order: {
    payment: (order, _args, ctx) => ctx.payments.paymentOfOrder(ctx, order.id),
  },
};

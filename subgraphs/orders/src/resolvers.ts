import { DateTimeScalar, servedByGateway } from '@microshop/runtime';
import type { Resolvers } from './generated/resolvers-types.ts';

const DEFAULT_PAGE_SIZE = 20;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Query: {
    order: (_parent, { id }, ctx) => ctx.orders.order(ctx, id),
    shippingMethods: (_parent, { country, subtotal }, ctx) =>
      ctx.checkout.shippingMethods(country, subtotal),
    checkoutPreview: (_parent, { input }, ctx) => ctx.checkout.preview(ctx, input ?? {}),
    discountCodes: (_parent, _args, ctx) => ctx.discountCodes.discountCodes(ctx),
    returnRequests: (_parent, { status, first, after }, ctx) =>
      ctx.afterOrder.returnRequests(ctx, status ?? null, first ?? DEFAULT_PAGE_SIZE, after ?? null),
  },

  Mutation: {
    placeOrder: (_parent, { input }, ctx) => ctx.orders.placeOrder(ctx, input),
    cancelOrder: (_parent, { id }, ctx) => ctx.orders.cancelOrder(ctx, id),
    shipOrder: (_parent, { id }, ctx) => ctx.orders.shipOrder(ctx, id),
    deliverOrder: (_parent, { id }, ctx) => ctx.orders.deliverOrder(ctx, id),
    createDiscountCode: (_parent, { input }, ctx) =>
      ctx.discountCodes.createDiscountCode(ctx, input),
    deactivateDiscountCode: (_parent, { code }, ctx) =>
      ctx.discountCodes.deactivateDiscountCode(ctx, code),
    requestReturn: (_parent, { input }, ctx) => ctx.afterOrder.requestReturn(ctx, input),
    approveReturn: (_parent, { input }, ctx) =>
      ctx.afterOrder.approveReturn(ctx, input.returnRequestId),
    rejectReturn: (_parent, { input }, ctx) =>
      ctx.afterOrder.rejectReturn(ctx, input.returnRequestId, input.reason),
  },

  Subscription: {
    orderStatusChanged: servedByGateway('orderStatusChanged', 'orders'),
  },

  User: {
    orders: (user, { first, after }, ctx) =>
      ctx.orders.ordersOfUser(ctx, user.id, first ?? DEFAULT_PAGE_SIZE, after ?? null),
  },

  Order: {
    __resolveReference: (reference, ctx) => ctx.orders.order(ctx, reference.id),
    user: (order) => ({ id: order.userId }),
    items: (order, _args, ctx) => ctx.orders.itemsOf(order),
    total: (order) => ({ amount: order.totalAmount, currency: order.currency }),
    subtotal: (order) => ({ amount: order.subtotalAmount, currency: order.currency }),
    discount: (order) => ({ amount: order.discountAmount, currency: order.currency }),
    shipping: (order) => ({ amount: order.shippingAmount, currency: order.currency }),
    tax: (order) => ({ amount: order.taxAmount, currency: order.currency }),
    taxRatePercent: (order) => order.taxRateBps / 100,
    shippingAddress: (order, _args, ctx) => ctx.orders.addressOf(order, 'SHIPPING'),
    billingAddress: (order, _args, ctx) => ctx.orders.addressOf(order, 'BILLING'),
    shippingMethod: (order) =>
      order.shippingMethodCode && order.shippingMethodName
        ? { code: order.shippingMethodCode, name: order.shippingMethodName }
        : null,
    statusHistory: (order, _args, ctx) => ctx.orders.historyOf(order),
    timeline: (order, _args, ctx) => ctx.afterOrder.timelineOf(ctx, order),
    returns: (order, _args, ctx) => ctx.afterOrder.returnsOf(order),
  },

  ReturnRequest: {
    order: (returnRequest, _args, ctx) => ctx.afterOrder.orderOf(returnRequest),
    lines: (returnRequest, _args, ctx) => ctx.afterOrder.linesOf(returnRequest),
    refundAmount: (returnRequest) => ({
      amount: returnRequest.refundAmount,
      currency: returnRequest.currency,
    }),
    rejectionReason: (returnRequest) =>
      returnRequest.status === 'REJECTED' ? returnRequest.decisionNote : null,
  },

  CheckoutPreview: {
    subtotal: (quote) => ({ amount: quote.totals.subtotal, currency: quote.currency }),
    discount: (quote) => ({ amount: quote.totals.discount, currency: quote.currency }),
    shipping: (quote) => ({ amount: quote.totals.shipping, currency: quote.currency }),
    tax: (quote) => ({ amount: quote.totals.tax, currency: quote.currency }),
    total: (quote) => ({ amount: quote.totals.total, currency: quote.currency }),
    taxRatePercent: (quote) => quote.taxRateBps / 100,
    discountCode: (quote) => quote.discountCode?.code ?? null,
  },

  DiscountCode: {
    minimumSubtotal: (code) => ({ amount: code.minimumSubtotal, currency: code.currency }),
  },

  OrderItem: {
    product: (item) => ({ id: item.productId }),
    variant: (item) => ({ id: item.variantId }),
    // Written by placeOrder as the catalog's [{name, value}] (see NewOrderLine).
    selectedOptions: (item) => item.selectedOptions as Array<{ name: string; value: string }>,
    unitPrice: (item) => ({ amount: item.unitPriceAmount, currency: item.currency }),
    lineTotal: (item) => ({
      amount: item.unitPriceAmount * item.quantity,
      currency: item.currency,
    }),
  },
};

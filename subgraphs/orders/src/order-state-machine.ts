import type { Prisma } from '@microshop/db';

export type OrderStatus = Prisma.OrderModel['status'];

/**
 * Every move an order may make, and nothing else. Every status change (mutations and the saga
 * worker) goes through `canTransition`, so an illegal one (e.g. DELIVERED -> PENDING) is
 * refused in one place.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'PAYMENT_FAILED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  PAYMENT_FAILED: [],
  CANCELLED: [],
  DELIVERED: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/** A status no order ever leaves. */
export function isFinal(status: OrderStatus): boolean {
  return ALLOWED_TRANSITIONS[status].length === 0;
}

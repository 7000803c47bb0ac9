import type { RequestContext } from '@microshop/runtime';
import type { AfterOrderService } from './after-order.service.ts';
import type { CheckoutService } from './checkout.service.ts';
import type { DiscountService } from './discount.service.ts';
import type { OrderService } from './order.service.ts';

/** An entity of another subgraph, known here by its key only. */
export interface EntityReference {
  id: string;
}

/**
 * The orders request context: the order and after-order services, built per request around that
 * request's loaders, and the checkout and discount code services (no loaders: shared by every
 * request).
 */
export interface OrdersContext extends RequestContext {
  orders: OrderService;
  afterOrder: AfterOrderService;
  checkout: CheckoutService;
  discountCodes: DiscountService;
}

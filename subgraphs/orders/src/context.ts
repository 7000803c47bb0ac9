import type { RequestContext } from '@microshop/runtime';
import type { AfterOrderService } from './after-order.service.ts';
import type { OrderService } from './order.service.ts';

/** An entity of another subgraph, known here by its key only. */
export interface EntityReference {
  id: string;
}

/** The orders request context: its services, built per request around that request's loaders. */
export interface OrdersContext extends RequestContext {
  orders: OrderService;
  afterOrder: AfterOrderService;
}

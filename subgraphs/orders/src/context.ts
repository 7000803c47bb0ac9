import type { RequestContext } from '@microshop/runtime';
import type { OrderService } from './order.service.ts';

/** An entity of another subgraph, known here by its key only. */
export interface EntityReference {
  id: string;
}

/** The orders request context: its service, built per request around that request's loaders. */
export interface OrdersContext extends RequestContext {
  orders: OrderService;
}

import type { RequestContext } from '@microshop/runtime';
import type { CartService } from './cart.service.ts';

/** The cart subgraph's request context: its service, built per request around that request's loaders. */
export interface CartContext extends RequestContext {
  carts: CartService;
}

import type { RequestContext } from '@microshop/runtime';
import type { ProductService } from './product.service.ts';

/** The catalog's request context: its service, built per request around that request's loaders. */
export interface CatalogContext extends RequestContext {
  products: ProductService;
}

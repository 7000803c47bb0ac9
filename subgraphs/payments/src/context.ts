import type { RequestContext } from '@microshop/runtime';
import type { PaymentService } from './payment.service.ts';

/** An entity of another subgraph, known here by its key only. */
export interface EntityReference {
  id: string;
}

/** The payments request context: its service, built per request around that request's loaders. */
export interface PaymentsContext extends RequestContext {
  payments: PaymentService;
}

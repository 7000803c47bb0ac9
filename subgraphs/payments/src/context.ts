import type { RequestContext } from '@microshop/runtime';
import type { PaymentService } from './payment.service.ts';
import type { RefundService } from './refund.service.ts';

/** An entity of another subgraph, known here by its key only. */
export interface EntityReference {
  id: string;
}

/** The payments request context: its services (the read side built per request around its loaders). */
export interface PaymentsContext extends RequestContext {
  payments: PaymentService;
  refunds: RefundService;
}

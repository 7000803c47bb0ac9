import DataLoader from 'dataloader';
import type { RequestContext } from '@microshop/runtime';
import type { PaymentRecord, PaymentRepository } from './payment.repository.ts';
import type { PaymentService } from './payment.service.ts';

/** An entity of another subgraph, known here by its key only. */
export interface EntityReference {
  id: string;
}

/** Per-request batching: the payments of a whole page of orders in one query. */
export interface PaymentLoaders {
  paymentById: DataLoader<string, PaymentRecord | null>;
  paymentByOrderId: DataLoader<string, PaymentRecord | null>;
}

export interface PaymentsContext extends RequestContext {
  payments: PaymentService;
  loaders: PaymentLoaders;
}

function keyedBy(
  key: 'id' | 'orderId',
  keys: readonly string[],
  rows: PaymentRecord[],
): (PaymentRecord | null)[] {
  const byKey = new Map<string, PaymentRecord>(rows.map((row) => [row[key], row]));
  return keys.map((value) => byKey.get(value) ?? null);
}

export function createPaymentLoaders(repository: PaymentRepository): PaymentLoaders {
  return {
    paymentById: new DataLoader(async (ids) => keyedBy('id', ids, await repository.findByIds(ids))),
    paymentByOrderId: new DataLoader(async (orderIds) =>
      keyedBy('orderId', orderIds, await repository.findByOrderIds(orderIds)),
    ),
  };
}

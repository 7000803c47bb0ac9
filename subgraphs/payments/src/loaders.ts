import DataLoader from 'dataloader';
import { groupedBy, isUuid } from '@microshop/runtime';
import type { PaymentRecord, PaymentRepository, RefundRecord } from './payment.repository.ts';

/** Per-request batching: the payments of a whole page of orders in one query. */
export interface PaymentLoaders {
  paymentById: DataLoader<string, PaymentRecord | null>;
  paymentByOrderId: DataLoader<string, PaymentRecord | null>;
  refundsByPaymentId: DataLoader<string, RefundRecord[]>;
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
    // A malformed id names no payment; PostgreSQL would refuse the uuid cast.
    paymentById: new DataLoader(async (ids) =>
      keyedBy('id', ids, await repository.findByIds(ids.filter(isUuid))),
    ),
    paymentByOrderId: new DataLoader(async (orderIds) =>
      keyedBy('orderId', orderIds, await repository.findByOrderIds(orderIds)),
    ),
    refundsByPaymentId: new DataLoader(async (paymentIds) =>
      groupedBy(paymentIds, await repository.refundsOf(paymentIds), (refund) => refund.paymentId),
    ),
  };
}

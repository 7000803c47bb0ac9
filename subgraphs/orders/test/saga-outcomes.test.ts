import { describe, expect, it } from 'vitest';
import { createEvent } from '@microshop/events';
import { statusChangeOf } from '../src/saga-outcomes.ts';

const orderId = '6f1c1d3e-8a51-4d4b-9a43-7d7b1f6a9c01';

describe('saga outcomes', () => {
  it('maps each outcome event to the status it settles the order in', () => {
    expect(
      statusChangeOf(
        createEvent('StockRejected', orderId, {
          orderId,
          unavailable: [],
          reason: 'out of stock: Mug',
        }),
      ),
    ).toEqual({ orderId, to: 'CANCELLED', reason: 'out of stock: Mug' });
    expect(
      statusChangeOf(
        createEvent('PaymentAuthorized', orderId, {
          orderId,
          paymentId: orderId,
          amount: { amount: 100, currency: 'EUR' },
        }),
      ),
    ).toEqual({ orderId, to: 'CONFIRMED', reason: null });
    expect(
      statusChangeOf(
        createEvent('PaymentDeclined', orderId, {
          orderId,
          paymentId: orderId,
          reason: 'card declined',
        }),
      ),
    ).toEqual({ orderId, to: 'PAYMENT_FAILED', reason: 'card declined' });
  });

  it('ignores events that settle nothing', () => {
    expect(
      statusChangeOf(createEvent('StockReserved', orderId, { orderId, items: [] })),
    ).toBeNull();
    expect(
      statusChangeOf(
        createEvent('PaymentRefunded', orderId, {
          orderId,
          paymentId: orderId,
          amount: { amount: 100, currency: 'EUR' },
        }),
      ),
    ).toBeNull();
  });
});

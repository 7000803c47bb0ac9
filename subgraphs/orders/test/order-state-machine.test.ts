import { describe, expect, it } from 'vitest';
import {
  ALLOWED_TRANSITIONS,
  canTransition,
  isFinal,
  type OrderStatus,
} from '../src/order-state-machine.ts';

const ALL: OrderStatus[] = [
  'PENDING',
  'CONFIRMED',
  'PAYMENT_FAILED',
  'CANCELLED',
  'SHIPPED',
  'DELIVERED',
];

describe('order state machine', () => {
  it('allows exactly the moves of the order flow', () => {
    const allowed = ALL.flatMap((from) =>
      ALL.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'PENDING->CONFIRMED',
        'PENDING->PAYMENT_FAILED',
        'PENDING->CANCELLED',
        'CONFIRMED->SHIPPED',
        'CONFIRMED->CANCELLED',
        'SHIPPED->DELIVERED',
      ].sort(),
    );
  });

  it.each([
    ['DELIVERED', 'PENDING'],
    ['DELIVERED', 'CANCELLED'],
    ['SHIPPED', 'CANCELLED'],
    ['CANCELLED', 'CONFIRMED'],
    ['PAYMENT_FAILED', 'CONFIRMED'],
    ['PENDING', 'SHIPPED'],
    ['CONFIRMED', 'DELIVERED'],
    ['CONFIRMED', 'PENDING'],
    ['PENDING', 'PENDING'],
  ] as const)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('knows the final statuses', () => {
    expect(ALL.filter(isFinal).sort()).toEqual(['CANCELLED', 'DELIVERED', 'PAYMENT_FAILED']);
  });

  it('has an entry for every status', () => {
    expect(Object.keys(ALLOWED_TRANSITIONS).sort()).toEqual([...ALL].sort());
  });
});

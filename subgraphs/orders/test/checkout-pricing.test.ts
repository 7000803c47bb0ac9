import { describe, expect, it } from 'vitest';
import type { ShippingMethodConfig } from '@microshop/config';
import {
  discountOf,
  divideRoundingHalfUp,
  shippingMethodsFor,
  shippingPriceOf,
  totalsOf,
} from '../src/checkout-pricing.ts';

const STANDARD: ShippingMethodConfig = {
  code: 'standard',
  name: 'Standard',
  currency: 'EUR',
  price: 495,
  freeOver: 5000,
};
const EXPRESS: ShippingMethodConfig = {
  code: 'express',
  name: 'Express',
  currency: 'EUR',
  price: 1495,
  countries: ['DE', 'AT'],
};

describe('rounding', () => {
  it('rounds halves up and everything else to the nearest integer', () => {
    expect(divideRoundingHalfUp(5, 2)).toBe(3);
    expect(divideRoundingHalfUp(7, 2)).toBe(4);
    expect(divideRoundingHalfUp(14, 10)).toBe(1);
    expect(divideRoundingHalfUp(16, 10)).toBe(2);
    expect(divideRoundingHalfUp(0, 7)).toBe(0);
  });
});

describe('tax', () => {
  it('adds tax on top when prices exclude it, rounded once per order, half up', () => {
    // 19 % of 1050 is 199.5: rounded up to 200.
    expect(
      totalsOf({
        subtotal: 1050,
        discount: 0,
        shipping: 0,
        taxRateBps: 1900,
        pricesIncludeTax: false,
      }),
    ).toEqual({ subtotal: 1050, discount: 0, shipping: 0, tax: 200, total: 1250 });
    // 19 % of 1049 is 199.31: rounded down to 199.
    expect(
      totalsOf({
        subtotal: 1049,
        discount: 0,
        shipping: 0,
        taxRateBps: 1900,
        pricesIncludeTax: false,
      }).tax,
    ).toBe(199);
    // Shipping is taxed and the discount is not: (2000 - 500 + 495) x 8.1 % = 161.595 -> 162.
    expect(
      totalsOf({
        subtotal: 2000,
        discount: 500,
        shipping: 495,
        taxRateBps: 810,
        pricesIncludeTax: false,
      }),
    ).toEqual({ subtotal: 2000, discount: 500, shipping: 495, tax: 162, total: 2157 });
  });

  it('takes the tax out of the total when prices include it', () => {
    // 1190 gross at 19 %: net 1000, tax 190, and the customer pays 1190.
    expect(
      totalsOf({
        subtotal: 1190,
        discount: 0,
        shipping: 0,
        taxRateBps: 1900,
        pricesIncludeTax: true,
      }),
    ).toEqual({ subtotal: 1190, discount: 0, shipping: 0, tax: 190, total: 1190 });
    // 999 / 1.19 = 839.496: net 839 (half up would need .5), tax 160.
    expect(
      totalsOf({
        subtotal: 999,
        discount: 0,
        shipping: 0,
        taxRateBps: 1900,
        pricesIncludeTax: true,
      }).tax,
    ).toBe(160);
    // 1000 / 1.2 = 833.33: net 833, tax 167.
    expect(
      totalsOf({
        subtotal: 1000,
        discount: 0,
        shipping: 0,
        taxRateBps: 2000,
        pricesIncludeTax: true,
      }).tax,
    ).toBe(167);
  });

  it('charges no tax at rate 0, whichever way prices are stated', () => {
    for (const pricesIncludeTax of [true, false]) {
      expect(
        totalsOf({ subtotal: 1234, discount: 34, shipping: 100, taxRateBps: 0, pricesIncludeTax }),
      ).toEqual({ subtotal: 1234, discount: 34, shipping: 100, tax: 0, total: 1300 });
    }
  });
});

describe('shipping', () => {
  it('is free from the threshold on (subtotal after discount), never for a method without one', () => {
    expect(shippingPriceOf(STANDARD, 4999)).toBe(495);
    expect(shippingPriceOf(STANDARD, 5000)).toBe(0);
    expect(shippingPriceOf(EXPRESS, 1_000_000)).toBe(1495);
  });

  it('offers the methods that serve the country in the cart currency', () => {
    expect(shippingMethodsFor([STANDARD, EXPRESS], 'DE', 'EUR').map((m) => m.code)).toEqual([
      'standard',
      'express',
    ]);
    expect(shippingMethodsFor([STANDARD, EXPRESS], 'FR', 'EUR').map((m) => m.code)).toEqual([
      'standard',
    ]);
    expect(shippingMethodsFor([STANDARD, EXPRESS], 'DE', 'USD')).toEqual([]);
  });
});

describe('discounts', () => {
  it('takes a percentage rounded half up, or a fixed amount, never more than the subtotal', () => {
    expect(discountOf({ kind: 'PERCENTAGE', value: 15 }, 1010)).toBe(152); // 151.5
    expect(discountOf({ kind: 'PERCENTAGE', value: 15 }, 1009)).toBe(151); // 151.35
    expect(discountOf({ kind: 'PERCENTAGE', value: 100 }, 1009)).toBe(1009);
    expect(discountOf({ kind: 'FIXED_AMOUNT', value: 500 }, 1009)).toBe(500);
    expect(discountOf({ kind: 'FIXED_AMOUNT', value: 5000 }, 1009)).toBe(1009);
  });
});

import type { ShippingMethodConfig } from '@microshop/config';

/**
 * The arithmetic of a checkout, in integer minor units of the cart's currency (no floating
 * point anywhere). One place, used by checkoutPreview and placeOrder alike:
 *
 * 1. subtotal = sum of unit price x quantity.
 * 2. discount = PERCENTAGE: value % of the subtotal, rounded half up; FIXED_AMOUNT: the value;
 *    never more than the subtotal.
 * 3. shipping = the method's price, or 0 when subtotal - discount reaches its `freeOver`.
 * 4. taxable = subtotal - discount + shipping (shipping is taxed at the destination's rate too).
 * 5. tax: prices exclude tax: tax = taxable x rate, rounded half up, and total = taxable + tax;
 *    prices include tax: the net is taxable / (1 + rate), rounded half up, tax = taxable - net,
 *    and total = taxable (the tax is the part of it that is tax).
 *
 * Tax is rounded once per order, on its taxable amount, not per line.
 */

export interface DiscountRule {
  kind: 'PERCENTAGE' | 'FIXED_AMOUNT';
  value: number;
}

export interface CheckoutTotals {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
}

const BASIS_POINTS = 10_000;

/** numerator / denominator rounded to the nearest integer, halves up (both non-negative). */
export function divideRoundingHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

export function discountOf(rule: DiscountRule, subtotal: number): number {
  const discount =
    rule.kind === 'PERCENTAGE' ? divideRoundingHalfUp(subtotal * rule.value, 100) : rule.value;
  return Math.min(discount, subtotal);
}

/** What a method costs for goods worth `discountedSubtotal` (free from its threshold on). */
export function shippingPriceOf(method: ShippingMethodConfig, discountedSubtotal: number): number {
  return method.freeOver !== undefined && discountedSubtotal >= method.freeOver ? 0 : method.price;
}

/** The methods that ship to `country` in `currency`, in the configured order. */
export function shippingMethodsFor(
  methods: readonly ShippingMethodConfig[],
  country: string,
  currency: string,
): ShippingMethodConfig[] {
  return methods.filter(
    (method) =>
      method.currency === currency && (!method.countries || method.countries.includes(country)),
  );
}

export function totalsOf(input: {
  subtotal: number;
  discount: number;
  shipping: number;
  taxRateBps: number;
  pricesIncludeTax: boolean;
}): CheckoutTotals {
  const { subtotal, discount, shipping, taxRateBps } = input;
  const taxable = subtotal - discount + shipping;
  if (input.pricesIncludeTax) {
    const net = divideRoundingHalfUp(taxable * BASIS_POINTS, BASIS_POINTS + taxRateBps);
    return { subtotal, discount, shipping, tax: taxable - net, total: taxable };
  }
  const tax = divideRoundingHalfUp(taxable * taxRateBps, BASIS_POINTS);
  return { subtotal, discount, shipping, tax, total: taxable + tax };
}

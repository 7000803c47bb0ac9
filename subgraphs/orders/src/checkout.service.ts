import { requireUser } from '@microshop/auth';
import {
  isCountryCode,
  validateAddress,
  type AddressInput,
  type PostalAddress,
} from '@microshop/addresses';
import type { CheckoutConfig, ShippingMethodConfig } from '@microshop/config';
import { badUserInput, userError, type RequestContext, type UserError } from '@microshop/runtime';
import {
  discountOf,
  shippingMethodsFor,
  shippingPriceOf,
  totalsOf,
  type CheckoutTotals,
} from './checkout-pricing.ts';
import type { DiscountCodeRecord, DiscountRepository } from './discount.repository.ts';
import { discountRefusal, normalizeDiscountCode } from './discount.service.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { NewOrderLine } from './order.repository.ts';
import type { ShopUpstream } from './upstream.ts';

type OrdersUserError = UserError<UserErrorCode>;

const MAX_ORDER_TOTAL = 2 ** 31 - 1; // Money.amount is a GraphQL Int

export interface CheckoutAddressInput {
  addressId?: string | null;
  address?: AddressInput | null;
}

/** What a customer chooses at checkout (placeOrder's and checkoutPreview's common fields). */
export interface CheckoutChoices {
  shippingAddress?: CheckoutAddressInput | null;
  billingAddress?: CheckoutAddressInput | null;
  shippingMethodCode?: string | null;
  discountCode?: string | null;
}

export interface Money {
  amount: number;
  currency: string;
}

/** A shipping method priced for one cart, as the API shows it. */
export interface PricedShippingMethod {
  code: string;
  name: string;
  price: Money;
  freeOver: Money | null;
}

/** The caller's cart priced for their choices: everything placeOrder stores. */
export interface Quote {
  currency: string;
  lines: NewOrderLine[];
  totals: CheckoutTotals;
  taxRateBps: number;
  pricesIncludeTax: boolean;
  shippingAddress: PostalAddress | null;
  billingAddress: PostalAddress | null;
  shippingMethod: PricedShippingMethod | null;
  availableShippingMethods: PricedShippingMethod[];
  discountCode: DiscountCodeRecord | null;
}

export type QuoteResult = { quote: Quote } | { userErrors: OrdersUserError[] };

export interface CheckoutPreviewPayload {
  preview: Quote | null;
  userErrors: OrdersUserError[];
}

/**
 * Whether a missing shipping method is an error (placing an order) or just not chosen yet
 * (previewing, where the methods to choose from are listed).
 */
type Purpose = 'order' | 'preview';

function priced(method: ShippingMethodConfig, discountedSubtotal: number): PricedShippingMethod {
  return {
    code: method.code,
    name: method.name,
    price: { amount: shippingPriceOf(method, discountedSubtotal), currency: method.currency },
    freeOver:
      method.freeOver === undefined ? null : { amount: method.freeOver, currency: method.currency },
  };
}

/**
 * Prices the caller's cart for a checkout (checkout-pricing.ts does the arithmetic): addresses
 * (written out, validated by @microshop/addresses, or taken from the caller's address book),
 * shipping method, discount code, tax. Writes nothing: placeOrder stores the quote, taking
 * the discount code's use under its row lock.
 */
export class CheckoutService {
  constructor(
    private readonly upstream: ShopUpstream,
    private readonly discounts: DiscountRepository,
    private readonly config: CheckoutConfig,
  ) {}

  /** The methods shipping to `country` in the subtotal's currency, priced for it. Public. */
  shippingMethods(country: string, subtotal: Money): PricedShippingMethod[] {
    const destination = country.trim().toUpperCase();
    if (!isCountryCode(destination)) {
      throw badUserInput(`${country} is not an ISO 3166-1 alpha-2 country code`, ['country']);
    }
    if (subtotal.amount < 0) throw badUserInput('The subtotal cannot be negative', ['subtotal']);
    return shippingMethodsFor(this.config.shippingMethods, destination, subtotal.currency).map(
      (method) => priced(method, subtotal.amount),
    );
  }

  async preview(ctx: RequestContext, choices: CheckoutChoices): Promise<CheckoutPreviewPayload> {
    const result = await this.quote(ctx, choices, 'preview');
    return 'quote' in result
      ? { preview: result.quote, userErrors: [] }
      : { preview: null, userErrors: result.userErrors };
  }

  async quote(
    ctx: RequestContext,
    choices: CheckoutChoices,
    purpose: Purpose,
  ): Promise<QuoteResult> {
    const { userId } = requireUser(ctx.principal);
    const addresses = await this.addressesOf(ctx, choices);
    if ('userErrors' in addresses) return addresses;
    const cart = await this.cartLines(ctx);
    if ('userErrors' in cart) return cart;
    const { lines, currency } = cart;
    const subtotal = lines.reduce((sum, line) => sum + line.unitPriceAmount * line.quantity, 0);

    const userErrors: OrdersUserError[] = [];
    let discountCode: DiscountCodeRecord | null = null;
    if (choices.discountCode?.trim()) {
      const code = await this.discounts.findByCode(normalizeDiscountCode(choices.discountCode));
      const refusal = discountRefusal(code, {
        now: new Date(),
        currency,
        subtotal,
        usesByCustomer: code ? await this.discounts.usesBy(code.id, userId) : 0,
      });
      if (refusal) userErrors.push(refusal);
      else discountCode = code;
    }
    const discount = discountCode ? discountOf(discountCode, subtotal) : 0;

    const { shippingAddress, billingAddress } = addresses;
    const available = shippingAddress
      ? shippingMethodsFor(this.config.shippingMethods, shippingAddress.country, currency).map(
          (method) => priced(method, subtotal - discount),
        )
      : [];
    const methodCode = choices.shippingMethodCode?.trim();
    let shippingMethod: PricedShippingMethod | null = null;
    if (methodCode && !shippingAddress) {
      userErrors.push(
        userError(
          UserErrorCode.SHIPPING_ADDRESS_REQUIRED,
          'A shipping method needs a shipping address',
          ['input', 'shippingAddress'],
        ),
      );
    } else if (methodCode) {
      shippingMethod = available.find((method) => method.code === methodCode) ?? null;
      if (!shippingMethod) {
        userErrors.push(
          userError(
            UserErrorCode.UNKNOWN_SHIPPING_METHOD,
            `No shipping method ${methodCode} ships to ${shippingAddress!.country} in ${currency}`,
            ['input', 'shippingMethodCode'],
          ),
        );
      }
    } else if (shippingAddress && purpose === 'order') {
      userErrors.push(
        userError(
          UserErrorCode.SHIPPING_METHOD_REQUIRED,
          'Choose a shipping method (checkoutPreview lists those that ship there)',
          ['input', 'shippingMethodCode'],
        ),
      );
    }
    if (userErrors.length > 0) return { userErrors };

    const taxCountry = shippingAddress?.country ?? billingAddress?.country;
    const taxRateBps = taxCountry ? (this.config.taxRatesBps[taxCountry] ?? 0) : 0;
    const totals = totalsOf({
      subtotal,
      discount,
      shipping: shippingMethod?.price.amount ?? 0,
      taxRateBps,
      pricesIncludeTax: this.config.pricesIncludeTax,
    });
    if (totals.total > MAX_ORDER_TOTAL || subtotal > MAX_ORDER_TOTAL) {
      return {
        userErrors: [userError(UserErrorCode.ORDER_TOO_LARGE, 'The order total is too large')],
      };
    }
    return {
      quote: {
        currency,
        lines,
        totals,
        taxRateBps,
        pricesIncludeTax: this.config.pricesIncludeTax,
        shippingAddress,
        billingAddress,
        shippingMethod,
        availableShippingMethods: available,
        discountCode,
      },
    };
  }

  /**
   * The checkout's addresses, validated; the billing address is the shipping address unless
   * another is given. The address book is read (once) only when an id is given.
   */
  private async addressesOf(
    ctx: RequestContext,
    choices: CheckoutChoices,
  ): Promise<
    | { shippingAddress: PostalAddress | null; billingAddress: PostalAddress | null }
    | { userErrors: OrdersUserError[] }
  > {
    const inputs = {
      shippingAddress: choices.shippingAddress,
      billingAddress: choices.billingAddress,
    };
    for (const [field, input] of Object.entries(inputs)) {
      if (input && (input.addressId == null) === (input.address == null)) {
        throw badUserInput(`${field} takes exactly one of addressId and address`, ['input', field]);
      }
    }
    const book = Object.values(inputs).some((input) => input?.addressId != null)
      ? await this.upstream.addressBookOf(ctx)
      : [];
    const userErrors: OrdersUserError[] = [];
    const resolve = (field: keyof typeof inputs): PostalAddress | null => {
      const input = inputs[field];
      if (!input) return null;
      if (input.addressId != null) {
        const entry = book.find((saved) => saved.id === input.addressId);
        if (entry) {
          const { id: _id, ...address } = entry;
          return address;
        }
        userErrors.push(
          userError(
            UserErrorCode.ADDRESS_NOT_FOUND,
            'No address of your address book has this id',
            ['input', field, 'addressId'],
          ),
        );
        return null;
      }
      const result = validateAddress(input.address!, ['input', field, 'address']);
      if (result.ok) return result.address;
      for (const problem of result.problems) {
        userErrors.push(userError(problem.code, problem.message, problem.field));
      }
      return null;
    };
    const shippingAddress = resolve('shippingAddress');
    const billingAddress = resolve('billingAddress') ?? shippingAddress;
    if (userErrors.length > 0) return { userErrors };
    return { shippingAddress, billingAddress };
  }

  /** The caller's cart (a variant per line) at current catalog prices, in one currency. */
  private async cartLines(
    ctx: RequestContext,
  ): Promise<{ lines: NewOrderLine[]; currency: string } | { userErrors: OrdersUserError[] }> {
    const cart = await this.upstream.cartOf(ctx);
    if (cart.length === 0) {
      return { userErrors: [userError(UserErrorCode.EMPTY_CART, 'The cart is empty')] };
    }
    const variantIds = [...new Set(cart.map((line) => line.variantId))];
    const variants = await this.upstream.variants(ctx, variantIds);
    const variantById = new Map(
      variants.flatMap((variant) => (variant ? [[variant.id, variant]] : [])),
    );
    const unavailable = variantIds.filter((id) => !variantById.has(id));
    if (unavailable.length > 0) {
      return {
        userErrors: [
          userError(
            UserErrorCode.PRODUCT_UNAVAILABLE,
            `No longer sold: ${unavailable.join(', ')}; remove it from the cart`,
          ),
        ],
      };
    }
    const currencies = new Set(variants.map((variant) => variant?.price.currency));
    if (currencies.size !== 1) {
      return {
        userErrors: [
          userError(
            UserErrorCode.MIXED_CURRENCIES,
            'The cart holds products priced in different currencies',
          ),
        ],
      };
    }
    // Each line is a variant of a product: it records the variant's SKU, options and price.
    const lines = cart.map((line) => {
      const variant = variantById.get(line.variantId)!;
      return {
        productId: variant.product.id,
        productName: variant.product.name,
        variantId: variant.id,
        variantSku: variant.sku,
        variantTitle: variant.title,
        selectedOptions: variant.selectedOptions,
        unitPriceAmount: variant.price.amount,
        quantity: line.quantity,
      };
    });
    return { lines, currency: variants[0]!.price.currency };
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { requireOwnerOrAdmin, requireUser } from '@microshop/auth';
import { GraphQLError } from 'graphql';
import {
  badUserInput,
  ErrorCode,
  serviceUnavailable,
  userError,
  type RequestContext,
  type UserError,
} from '@microshop/runtime';
import {
  CartStoreUnavailableError,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  type CartLine,
  type CartStore,
  type LineChange,
  type LineChangeRefusal,
  type MergeAddition,
  type MergedLine,
} from './cart-store.ts';
import { CatalogUnavailableError, type CatalogProduct, type Money } from './catalog-client.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { CartLoaders } from './loaders.ts';

type CartUserError = UserError<UserErrorCode>;

/** The currency of an empty cart's subtotal: the demo catalog's currency. */
export const DEFAULT_CURRENCY = 'EUR';

/**
 * A cart as the resolvers see it: its key (the owner's user id, or a guest cart's key) and its
 * stored lines (prices are looked up when read).
 */
export interface CartView {
  key: string;
  lines: CartLine[];
}

export interface GuestCartView {
  cartToken: string;
  cart: CartView;
}

/** `gc_` and 32 base64url characters (24 random bytes): a guest cart's token. */
const GUEST_CART_TOKEN = /^gc_[A-Za-z0-9_-]{32}$/;

export function newGuestCartToken(): string {
  return `gc_${randomBytes(24).toString('base64url')}`;
}

/**
 * The key of the guest cart a token names. Stores and logs see only this hash, so neither a
 * store's keys nor `Cart.id` give the token away; a malformed token is BAD_USER_INPUT.
 */
export function guestCartKey(cartToken: string): string {
  if (!GUEST_CART_TOKEN.test(cartToken)) {
    throw badUserInput('cartToken is not a guest cart token (from createGuestCart).', [
      'cartToken',
    ]);
  }
  return `guest:${createHash('sha256').update(cartToken).digest('hex').slice(0, 40)}`;
}

/** A line whose product the catalog sells now, with its current price. */
export interface CartItemView {
  productId: string;
  quantity: number;
  unitPrice: Money;
}

export interface UserReference {
  id: string;
}

export interface ProductReference {
  id: string;
}

export interface CartPayloadView {
  cart: CartView;
  userErrors: CartUserError[];
}

/** The user error for each refusal of the store (which checks the limits atomically with the change). */
const REFUSALS: Record<LineChangeRefusal, (product: CatalogProduct) => CartUserError> = {
  LINE_QUANTITY_LIMIT: () =>
    userError(
      UserErrorCode.INVALID_QUANTITY,
      `A cart line holds at most ${MAX_LINE_QUANTITY} units.`,
      ['quantity'],
    ),
  CART_LINE_LIMIT: () =>
    userError(
      UserErrorCode.CART_FULL,
      `A cart holds at most ${MAX_CART_LINES} different products.`,
      ['productId'],
    ),
  STOCK: (product) =>
    userError(
      UserErrorCode.INSUFFICIENT_STOCK,
      product.stock > 0
        ? `Only ${product.stock} units of this product are available.`
        : 'This product is out of stock.',
      ['quantity'],
    ),
};

/** The user error for a guest line that did not join the caller's cart whole. */
const MERGE_REFUSALS: Record<LineChangeRefusal, { code: UserErrorCode; reason: string }> = {
  LINE_QUANTITY_LIMIT: {
    code: UserErrorCode.INVALID_QUANTITY,
    reason: `a line holds at most ${MAX_LINE_QUANTITY} units`,
  },
  CART_LINE_LIMIT: {
    code: UserErrorCode.CART_FULL,
    reason: `a cart holds at most ${MAX_CART_LINES} different products`,
  },
  STOCK: { code: UserErrorCode.INSUFFICIENT_STOCK, reason: 'not enough units are available' },
};

function mergeRefusal(line: MergedLine, refusal: LineChangeRefusal): CartUserError {
  const { code, reason } = MERGE_REFUSALS[refusal];
  return userError(
    code,
    `${line.merged} of the guest cart's ${line.requested} units of product ${line.productId} joined your cart: ${reason}.`,
    ['cartToken'],
  );
}

/**
 * The cart's business rules. A signed-in caller's cart is theirs: read only by its owner or an
 * ADMIN. A guest cart belongs to whoever holds its token; every cart operation takes a token to act
 * on a guest cart instead of the caller's.
 */
export class CartService {
  constructor(
    private readonly store: CartStore,
    private readonly loaders: CartLoaders,
  ) {}

  /** The guest cart a token names, else the signed-in caller's cart. */
  async myCart(ctx: RequestContext, cartToken?: string | null): Promise<CartView> {
    return this.readCart(ctx, cartKeyFor(ctx, cartToken));
  }

  /** A new guest cart: nothing is stored until its first line. */
  createGuestCart(): GuestCartView {
    const cartToken = newGuestCartToken();
    return { cartToken, cart: { key: guestCartKey(cartToken), lines: [] } };
  }

  /** A user's cart, for that user or an ADMIN (User.cart through federation). */
  async cartOf(ctx: RequestContext, userId: string): Promise<CartView> {
    requireOwnerOrAdmin(ctx.principal, userId, "Only the cart's owner or an ADMIN may read it");
    return this.readCart(ctx, userId);
  }

  async addToCart(
    ctx: RequestContext,
    productId: string,
    quantity: number,
    cartToken?: string | null,
  ): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
      return this.refuse(ctx, key, invalidQuantity(1));
    }
    return this.changeLine(ctx, key, { productId, quantity, mode: 'add' });
  }

  /** Sets a line's quantity; 0 removes the line. */
  async updateCartItem(
    ctx: RequestContext,
    productId: string,
    quantity: number,
    cartToken?: string | null,
  ): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_LINE_QUANTITY) {
      return this.refuse(ctx, key, invalidQuantity(0));
    }
    if (quantity === 0) return this.removeFromCart(ctx, productId, cartToken);
    return this.changeLine(ctx, key, { productId, quantity, mode: 'set' });
  }

  async removeFromCart(
    ctx: RequestContext,
    productId: string,
    cartToken?: string | null,
  ): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    const lines = await this.guard(ctx, () => this.store.removeLine(key, productId));
    return { cart: { key, lines }, userErrors: [] };
  }

  async clearCart(ctx: RequestContext, cartToken?: string | null): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    await this.guard(ctx, () => this.store.clear(key));
    return { cart: { key, lines: [] }, userErrors: [] };
  }

  /**
   * Moves a guest cart's lines into the signed-in caller's cart (see the SDL for the rules). The
   * catalog is asked once for every product of both carts: a guest line is merged only while its
   * product is for sale, in the caller's cart's currency, up to the stock available now.
   */
  async mergeGuestCart(ctx: RequestContext, cartToken: string): Promise<CartPayloadView> {
    const { userId } = requireUser(ctx.principal);
    const guestKey = guestCartKey(cartToken);
    const [snapshot, lines] = await this.guard(ctx, () =>
      Promise.all([this.store.read(guestKey), this.store.read(userId)]),
    );
    if (snapshot.length === 0) return { cart: { key: userId, lines }, userErrors: [] };
    const productIds = [...new Set([...lines, ...snapshot].map((line) => line.productId))];
    const products = await this.guard(ctx, () =>
      Promise.all(productIds.map((productId) => this.loaders.productById.load(productId))),
    );
    const productOf = new Map(productIds.map((productId, index) => [productId, products[index]]));
    let currency = lines.map((line) => productOf.get(line.productId)).find(Boolean)?.price.currency;
    const userErrors: CartUserError[] = [];
    const additions: MergeAddition[] = [];
    for (const line of snapshot) {
      const product = productOf.get(line.productId);
      if (!product) {
        userErrors.push(
          userError(
            UserErrorCode.PRODUCT_NOT_FOUND,
            `Product ${line.productId} of the guest cart is no longer for sale; its line was not merged.`,
            ['cartToken'],
          ),
        );
        continue;
      }
      currency ??= product.price.currency;
      if (product.price.currency !== currency) {
        userErrors.push(
          userError(
            UserErrorCode.MIXED_CURRENCIES,
            `Product ${line.productId} of the guest cart is priced in ${product.price.currency}, your cart in ${currency}; its line was not merged.`,
            ['cartToken'],
          ),
        );
        continue;
      }
      additions.push({
        productId: line.productId,
        quantity: line.quantity,
        available: product.stock,
      });
    }
    const result = await this.guard(ctx, () =>
      this.store.mergeCart(guestKey, userId, snapshot, additions),
    );
    // Not applied: a concurrent or earlier call merged this very snapshot, and reported on it.
    if (!result.applied) return { cart: { key: userId, lines: result.lines }, userErrors: [] };
    for (const line of result.mergedLines) {
      if (line.refusal) userErrors.push(mergeRefusal(line, line.refusal));
    }
    return { cart: { key: userId, lines: result.lines }, userErrors };
  }

  /**
   * The lines whose product the catalog sells now, priced now (one batched catalog call per request).
   * Lines of products removed or deactivated since they were added are left out, not failed on.
   */
  async items(ctx: RequestContext, cart: CartView): Promise<CartItemView[]> {
    const products = await this.guard(ctx, () =>
      Promise.all(cart.lines.map((line) => this.loaders.productById.load(line.productId))),
    );
    return cart.lines.flatMap((line, index) => {
      const product = products[index];
      return product
        ? [{ productId: line.productId, quantity: line.quantity, unitPrice: product.price }]
        : [];
    });
  }

  async totalQuantity(ctx: RequestContext, cart: CartView): Promise<number> {
    return (await this.items(ctx, cart)).reduce((sum, item) => sum + item.quantity, 0);
  }

  /**
   * The sum of the lines at current prices. A cart is filled in one currency (addToCart refuses
   * another); it can still end up mixed when a product is repriced in another currency, and then
   * it has no subtotal: an error that says so, until the line is removed.
   */
  async subtotal(ctx: RequestContext, cart: CartView): Promise<Money> {
    const items = await this.items(ctx, cart);
    const currency = items[0]?.unitPrice.currency ?? DEFAULT_CURRENCY;
    if (items.some((item) => item.unitPrice.currency !== currency)) {
      throw new GraphQLError(
        'This cart holds products priced in different currencies, so it has no subtotal; remove the lines in the other currency.',
        { extensions: { code: ErrorCode.MIXED_CURRENCIES } },
      );
    }
    return { amount: items.reduce((sum, item) => sum + lineTotal(item).amount, 0), currency };
  }

  private async readCart(ctx: RequestContext, key: string): Promise<CartView> {
    return { key, lines: await this.guard(ctx, () => this.store.read(key)) };
  }

  private async changeLine(
    ctx: RequestContext,
    key: string,
    change: Omit<LineChange, 'available'>,
  ): Promise<CartPayloadView> {
    const lines = await this.guard(ctx, () => this.store.read(key));
    // One batched catalog call: the product, and the other lines' for their currency.
    const [product, ...others] = await this.guard(ctx, () =>
      Promise.all(
        [change.productId, ...lines.map((line) => line.productId)]
          .filter((productId, index) => index === 0 || productId !== change.productId)
          .map((productId) => this.loaders.productById.load(productId)),
      ),
    );
    // Refused: the cart as it was just read.
    const refused = (error: CartUserError) => ({
      cart: { key, lines },
      userErrors: [error],
    });
    if (!product) {
      return refused(
        userError(UserErrorCode.PRODUCT_NOT_FOUND, 'No product with this id is for sale.', [
          'productId',
        ]),
      );
    }
    const cartCurrency = others.find((other) => other)?.price.currency;
    if (cartCurrency && cartCurrency !== product.price.currency) {
      return refused(
        userError(
          UserErrorCode.MIXED_CURRENCIES,
          `This cart holds products priced in ${cartCurrency}; this product is priced in ${product.price.currency}.`,
          ['productId'],
        ),
      );
    }
    const result = await this.guard(ctx, () =>
      this.store.changeLine(key, { ...change, available: product.stock }),
    );
    return {
      cart: { key, lines: result.lines },
      userErrors: result.refusal ? [REFUSALS[result.refusal](product)] : [],
    };
  }

  /** A refused mutation still answers with the cart as it is. */
  private async refuse(
    ctx: RequestContext,
    key: string,
    error: CartUserError,
  ): Promise<CartPayloadView> {
    return { cart: await this.readCart(ctx, key), userErrors: [error] };
  }

  /** An unreachable backend is SERVICE_UNAVAILABLE for the client (logged here with its cause). */
  private async guard<T>(ctx: RequestContext, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof CartStoreUnavailableError) {
        ctx.log.warn({ err: error }, 'cart store unavailable');
        throw serviceUnavailable('Carts are temporarily unavailable; please try again shortly.');
      }
      if (error instanceof CatalogUnavailableError) {
        ctx.log.warn({ err: error }, 'catalog unavailable');
        throw serviceUnavailable(
          'The catalog is temporarily unavailable; please try again shortly.',
        );
      }
      throw error;
    }
  }
}

/** The cart a request acts on: the guest cart its token names, else the signed-in caller's. */
function cartKeyFor(ctx: RequestContext, cartToken: string | null | undefined): string {
  return cartToken == null ? requireUser(ctx.principal).userId : guestCartKey(cartToken);
}

export function lineTotal(item: CartItemView): Money {
  return { amount: item.unitPrice.amount * item.quantity, currency: item.unitPrice.currency };
}

function invalidQuantity(minimum: number): CartUserError {
  return userError(
    UserErrorCode.INVALID_QUANTITY,
    `The quantity must be between ${minimum} and ${MAX_LINE_QUANTITY}.`,
    ['quantity'],
  );
}

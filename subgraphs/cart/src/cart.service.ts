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
import {
  CatalogUnavailableError,
  type CatalogProduct,
  type CatalogVariant,
  type Money,
} from './catalog-client.ts';
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

function newGuestCartToken(): string {
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

/** A line whose variant the catalog sells now, with its current price. */
export interface CartItemView {
  productId: string;
  variantId: string;
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
const REFUSALS: Record<LineChangeRefusal, (variant: CatalogVariant) => CartUserError> = {
  LINE_QUANTITY_LIMIT: () =>
    userError(
      UserErrorCode.INVALID_QUANTITY,
      `A cart line holds at most ${MAX_LINE_QUANTITY} units.`,
      ['quantity'],
    ),
  CART_LINE_LIMIT: () =>
    userError(
      UserErrorCode.CART_FULL,
      `A cart holds at most ${MAX_CART_LINES} different products (variants).`,
      ['productId'],
    ),
  STOCK: (variant) =>
    userError(
      UserErrorCode.INSUFFICIENT_STOCK,
      variant.stock > 0
        ? `Only ${variant.stock} units of this product are available.`
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
    `${line.merged} of the guest cart's ${line.requested} units of variant ${line.variantId} joined your cart: ${reason}.`,
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

  /** Adds units of a variant: the named one, or the product's only one. */
  async addToCart(
    ctx: RequestContext,
    line: LineChoice,
    quantity: number,
    cartToken?: string | null,
  ): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
      return this.refuse(ctx, key, invalidQuantity(1));
    }
    return this.changeLine(ctx, key, line, { quantity, mode: 'add' });
  }

  /** Sets a line's quantity; 0 removes the line. */
  async updateCartItem(
    ctx: RequestContext,
    line: LineChoice,
    quantity: number,
    cartToken?: string | null,
  ): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_LINE_QUANTITY) {
      return this.refuse(ctx, key, invalidQuantity(0));
    }
    if (quantity === 0) return this.removeFromCart(ctx, line, cartToken);
    return this.changeLine(ctx, key, line, { quantity, mode: 'set' });
  }

  /**
   * Removes a variant's line: the named one (no catalog call: a line that is not there changes
   * nothing), or the product's only one (which the catalog is asked for; a product it does not
   * know has no line, so nothing changes).
   */
  async removeFromCart(
    ctx: RequestContext,
    line: LineChoice,
    cartToken?: string | null,
  ): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    const variant = line.variantId
      ? { id: line.variantId }
      : await this.onlyVariantOf(ctx, line.productId);
    if (!variant) return { cart: await this.readCart(ctx, key), userErrors: [] };
    if (typeof variant === 'string') return this.refuse(ctx, key, VARIANT_CHOICE_ERRORS[variant]);
    const lines = await this.guard(ctx, () => this.store.removeLine(key, variant.id));
    return { cart: { key, lines }, userErrors: [] };
  }

  /** The product's only variant, or 'required' when it has several; null for an unknown product. */
  private async onlyVariantOf(
    ctx: RequestContext,
    productId: string,
  ): Promise<CatalogVariant | 'not-found' | 'required' | null> {
    const product = await this.guard(ctx, () => this.loaders.productById.load(productId));
    return product ? chooseVariant(product, null) : null;
  }

  async clearCart(ctx: RequestContext, cartToken?: string | null): Promise<CartPayloadView> {
    const key = cartKeyFor(ctx, cartToken);
    await this.guard(ctx, () => this.store.clear(key));
    return { cart: { key, lines: [] }, userErrors: [] };
  }

  /**
   * Moves a guest cart's lines into the signed-in caller's cart (see the SDL for the rules). The
   * catalog is asked once for every variant of both carts: a guest line is merged only while its
   * variant is for sale, in the caller's cart's currency, up to the variant's stock available now.
   */
  async mergeGuestCart(ctx: RequestContext, cartToken: string): Promise<CartPayloadView> {
    const { userId } = requireUser(ctx.principal);
    const guestKey = guestCartKey(cartToken);
    const [snapshot, lines] = await this.guard(ctx, () =>
      Promise.all([this.store.read(guestKey), this.store.read(userId)]),
    );
    if (snapshot.length === 0) return { cart: { key: userId, lines }, userErrors: [] };
    const variantIds = [...new Set([...lines, ...snapshot].map((line) => line.variantId))];
    const variants = await this.guard(ctx, () =>
      Promise.all(variantIds.map((variantId) => this.loaders.variantById.load(variantId))),
    );
    const variantOf = new Map(variantIds.map((variantId, index) => [variantId, variants[index]]));
    let currency = lines.map((line) => variantOf.get(line.variantId)).find(Boolean)?.price.currency;
    const userErrors: CartUserError[] = [];
    const additions: MergeAddition[] = [];
    for (const line of snapshot) {
      const variant = variantOf.get(line.variantId);
      if (!variant) {
        userErrors.push(
          userError(
            UserErrorCode.PRODUCT_NOT_FOUND,
            `Variant ${line.variantId} of the guest cart is no longer for sale; its line was not merged.`,
            ['cartToken'],
          ),
        );
        continue;
      }
      currency ??= variant.price.currency;
      if (variant.price.currency !== currency) {
        userErrors.push(
          userError(
            UserErrorCode.MIXED_CURRENCIES,
            `Variant ${line.variantId} of the guest cart is priced in ${variant.price.currency}, your cart in ${currency}; its line was not merged.`,
            ['cartToken'],
          ),
        );
        continue;
      }
      additions.push({
        variantId: line.variantId,
        quantity: line.quantity,
        available: variant.stock,
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
   * The lines whose variant the catalog sells now, priced now (one batched catalog call per request).
   * Lines of products removed or deactivated since they were added are left out, not failed on.
   */
  async items(ctx: RequestContext, cart: CartView): Promise<CartItemView[]> {
    const variants = await this.guard(ctx, () =>
      Promise.all(cart.lines.map((line) => this.loaders.variantById.load(line.variantId))),
    );
    return cart.lines.flatMap((line, index) => {
      const variant = variants[index];
      return variant
        ? [
            {
              productId: variant.productId,
              variantId: variant.id,
              quantity: line.quantity,
              unitPrice: variant.price,
            },
          ]
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
    line: LineChoice,
    change: Omit<LineChange, 'available' | 'variantId'>,
  ): Promise<CartPayloadView> {
    const lines = await this.guard(ctx, () => this.store.read(key));
    // Two catalog calls at once: the product with its variants, and the cart's lines for their currency.
    const [product, others] = await this.guard(ctx, () =>
      Promise.all([
        this.loaders.productById.load(line.productId),
        Promise.all(lines.map((stored) => this.loaders.variantById.load(stored.variantId))),
      ]),
    );
    // Refused: the cart as it was just read.
    const refused = (error: CartUserError) => ({ cart: { key, lines }, userErrors: [error] });
    if (!product?.active) {
      return refused(
        userError(UserErrorCode.PRODUCT_NOT_FOUND, 'No product with this id is for sale.', [
          'productId',
        ]),
      );
    }
    const variant = chooseVariant(product, line.variantId);
    if (typeof variant === 'string') return refused(VARIANT_CHOICE_ERRORS[variant]);
    // A sold product's variants are sold: the payload's items need not ask the catalog for it again.
    this.loaders.variantById.prime(variant.id, variant);
    const cartCurrency = others.find((other) => other && other.id !== variant.id)?.price.currency;
    if (cartCurrency && cartCurrency !== variant.price.currency) {
      return refused(
        userError(
          UserErrorCode.MIXED_CURRENCIES,
          `This cart holds products priced in ${cartCurrency}; this product is priced in ${variant.price.currency}.`,
          ['productId'],
        ),
      );
    }
    const result = await this.guard(ctx, () =>
      this.store.changeLine(key, { ...change, variantId: variant.id, available: variant.stock }),
    );
    return {
      cart: { key, lines: result.lines },
      userErrors: result.refusal ? [REFUSALS[result.refusal](variant)] : [],
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

/** Which line a mutation means: a product and, unless it has only one, its variant. */
export interface LineChoice {
  productId: string;
  variantId?: string | null;
}

/**
 * The variant a cart mutation means: the named one, which must be the product's, or, when none is
 * named, the product's only variant (the catalog's adjustStock applies the same rule).
 */
function chooseVariant(
  product: CatalogProduct,
  variantId: string | null | undefined,
): CatalogVariant | 'not-found' | 'required' {
  if (variantId) return product.variants.find((variant) => variant.id === variantId) ?? 'not-found';
  const [only, ...others] = product.variants;
  return only && others.length === 0 ? only : 'required';
}

const VARIANT_CHOICE_ERRORS: Record<'not-found' | 'required', CartUserError> = {
  'not-found': userError(
    UserErrorCode.VARIANT_NOT_FOUND,
    'No variant with this id belongs to the product.',
    ['variantId'],
  ),
  required: userError(
    UserErrorCode.VARIANT_REQUIRED,
    'This product comes in several variants: name one (variantId).',
    ['variantId'],
  ),
};

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

import { requireOwnerOrAdmin, requireUser } from '@microshop/auth';
import { GraphQLError } from 'graphql';
import {
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
} from './cart-store.ts';
import { CatalogUnavailableError, type CatalogProduct, type Money } from './catalog-client.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { CartLoaders } from './loaders.ts';

type CartUserError = UserError<UserErrorCode>;

/** The currency of an empty cart's subtotal: the demo catalog's currency. */
export const DEFAULT_CURRENCY = 'EUR';

/** A cart as the resolvers see it: whose it is and its stored lines (prices are looked up when read). */
export interface CartView {
  userId: string;
  lines: CartLine[];
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

/**
 * The cart's business rules. Carts belong to the signed-in caller: every mutation acts on the
 * caller's own cart, and a cart is read only by its owner or an ADMIN.
 */
export class CartService {
  constructor(
    private readonly store: CartStore,
    private readonly loaders: CartLoaders,
  ) {}

  /** The signed-in caller's cart. */
  async myCart(ctx: RequestContext): Promise<CartView> {
    const { userId } = requireUser(ctx.principal);
    return this.readCart(ctx, userId);
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
  ): Promise<CartPayloadView> {
    const { userId } = requireUser(ctx.principal);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
      return this.refuse(ctx, userId, invalidQuantity(1));
    }
    return this.changeLine(ctx, userId, { productId, quantity, mode: 'add' });
  }

  /** Sets a line's quantity; 0 removes the line. */
  async updateCartItem(
    ctx: RequestContext,
    productId: string,
    quantity: number,
  ): Promise<CartPayloadView> {
    const { userId } = requireUser(ctx.principal);
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > MAX_LINE_QUANTITY) {
      return this.refuse(ctx, userId, invalidQuantity(0));
    }
    if (quantity === 0) return this.removeFromCart(ctx, productId);
    return this.changeLine(ctx, userId, { productId, quantity, mode: 'set' });
  }

  async removeFromCart(ctx: RequestContext, productId: string): Promise<CartPayloadView> {
    const { userId } = requireUser(ctx.principal);
    const lines = await this.guard(ctx, () => this.store.removeLine(userId, productId));
    return { cart: { userId, lines }, userErrors: [] };
  }

  async clearCart(ctx: RequestContext): Promise<CartPayloadView> {
    const { userId } = requireUser(ctx.principal);
    await this.guard(ctx, () => this.store.clear(userId));
    return { cart: { userId, lines: [] }, userErrors: [] };
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

  private async readCart(ctx: RequestContext, userId: string): Promise<CartView> {
    return { userId, lines: await this.guard(ctx, () => this.store.read(userId)) };
  }

  private async changeLine(
    ctx: RequestContext,
    userId: string,
    change: Omit<LineChange, 'available'>,
  ): Promise<CartPayloadView> {
    const lines = await this.guard(ctx, () => this.store.read(userId));
    // One batched catalog call: the product, and the other lines' for their currency.
    const [product, ...others] = await this.guard(ctx, () =>
      Promise.all(
        [change.productId, ...lines.map((line) => line.productId)]
          .filter((productId, index) => index === 0 || productId !== change.productId)
          .map((productId) => this.loaders.productById.load(productId)),
      ),
    );
    // Refused: the cart as it was just read.
    const refused = (error: CartUserError) => ({ cart: { userId, lines }, userErrors: [error] });
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
      this.store.changeLine(userId, { ...change, available: product.stock }),
    );
    return {
      cart: { userId, lines: result.lines },
      userErrors: result.refusal ? [REFUSALS[result.refusal](product)] : [],
    };
  }

  /** A refused mutation still answers with the cart as it is. */
  private async refuse(
    ctx: RequestContext,
    userId: string,
    error: CartUserError,
  ): Promise<CartPayloadView> {
    return { cart: await this.readCart(ctx, userId), userErrors: [error] };
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

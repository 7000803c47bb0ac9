import { forbidden, requireAdmin, requireUser, type Principal } from '@microshop/auth';
import { Prisma, type Db } from '@microshop/db';
import { appendToOutbox, createEvent } from '@microshop/events';
import {
  badUserInput,
  ErrorCode,
  userError,
  type RequestContext,
  type UserError,
} from '@microshop/runtime';
import type { OrderStatus } from './order-state-machine.ts';
import { ORDERS_OUTBOX_SOURCE, type OrderTransitions } from './order-transitions.ts';
import {
  isOrderId,
  type OrderListPosition,
  type OrderRecord,
  type OrderRepository,
} from './order.repository.ts';
import type { ShopUpstream } from './upstream.ts';

export interface OrderPayload {
  order: OrderRecord | null;
  userErrors: UserError[];
}

export interface OrderPage {
  edges: { cursor: string; node: OrderRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export interface PlaceOrderInput {
  idempotencyKey: string;
  paymentToken: string;
}

const MAX_PAGE_SIZE = 100;
/** Waits for a pooled connection under load rather than failing the request (Prisma's default is 2 s). */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };
const MAX_KEY_LENGTH = 128;
const MAX_ORDER_TOTAL = 2 ** 31 - 1; // Money.amount is a GraphQL Int

function isAdmin(principal: Principal): boolean {
  return principal.role === 'ADMIN';
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

function encodeCursor(order: OrderRecord): string {
  return Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): OrderListPosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [createdAt, id] = decoded as unknown[];
      const date = new Date(String(createdAt));
      if (typeof id === 'string' && isOrderId(id) && !Number.isNaN(date.getTime())) {
        return { createdAt: date, id };
      }
    }
  } catch {
    // fall through: any undecodable cursor is the same bad input
  }
  throw badUserInput('`after` is not a cursor of this connection', ['after']);
}

function invalidTransition(from: OrderStatus, to: OrderStatus): UserError {
  return userError('INVALID_TRANSITION', `An order that is ${from} cannot become ${to}`);
}

export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly repository: OrderRepository,
    private readonly transitions: OrderTransitions,
    private readonly upstream: ShopUpstream,
  ) {}

  /**
   * Owner or ADMIN; anyone else gets FORBIDDEN, also for an id that does not exist (so ids
   * cannot be probed). An ADMIN asking for a missing order gets null.
   */
  authorizeRead(principal: Principal | null, order: OrderRecord | null): OrderRecord | null {
    const caller = requireUser(principal);
    if (isAdmin(caller)) return order;
    if (!order || order.userId !== caller.userId) throw forbidden('Not allowed to see this order');
    return order;
  }

  async order(ctx: RequestContext, id: string): Promise<OrderRecord | null> {
    requireUser(ctx.principal);
    const order = isOrderId(id) ? await this.repository.findById(id) : null;
    return this.authorizeRead(ctx.principal, order);
  }

  async ordersOfUser(
    ctx: RequestContext,
    userId: string,
    first: number,
    after: string | null,
  ): Promise<OrderPage> {
    const caller = requireUser(ctx.principal);
    if (caller.userId !== userId && !isAdmin(caller)) {
      throw forbidden("Not allowed to see this user's orders");
    }
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      throw badUserInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}`, ['first']);
    }
    const position = after ? decodeCursor(after) : null;
    const [rows, totalCount] = await Promise.all([
      this.repository.listByUser(userId, first + 1, position),
      this.repository.countByUser(userId),
    ]);
    const page = rows.slice(0, first);
    const edges = page.map((order) => ({ cursor: encodeCursor(order), node: order }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount,
    };
  }

  async placeOrder(ctx: RequestContext, input: PlaceOrderInput): Promise<OrderPayload> {
    const caller = requireUser(ctx.principal);
    const idempotencyKey = input.idempotencyKey.trim();
    if (idempotencyKey.length === 0 || idempotencyKey.length > MAX_KEY_LENGTH) {
      throw badUserInput(`idempotencyKey must have 1 to ${MAX_KEY_LENGTH} characters`, [
        'input',
        'idempotencyKey',
      ]);
    }
    const paymentToken = input.paymentToken.trim();
    if (paymentToken.length === 0 || paymentToken.length > MAX_KEY_LENGTH) {
      throw badUserInput(`paymentToken must have 1 to ${MAX_KEY_LENGTH} characters`, [
        'input',
        'paymentToken',
      ]);
    }

    // A retry after success must not read the cart again: it is emptied once the order is placed.
    const existing = await this.repository.findByIdempotencyKey(caller.userId, idempotencyKey);
    if (existing) return { order: existing, userErrors: [] };

    const cart = await this.upstream.cartOf(ctx);
    if (cart.length === 0) {
      return { order: null, userErrors: [userError('EMPTY_CART', 'The cart is empty')] };
    }
    const productIds = [...new Set(cart.map((line) => line.productId))];
    const products = await this.upstream.products(ctx, productIds);
    const productById = new Map(
      products.flatMap((product) => (product ? [[product.id, product]] : [])),
    );

    const unavailable = productIds.filter((id) => !productById.has(id));
    if (unavailable.length > 0) {
      return {
        order: null,
        userErrors: [
          userError(
            'PRODUCT_UNAVAILABLE',
            `No longer sold: ${unavailable.join(', ')}; remove it from the cart`,
          ),
        ],
      };
    }
    const lines = cart.map((line) => {
      const product = productById.get(line.productId)!;
      return {
        productId: product.id,
        productName: product.name,
        unitPriceAmount: product.price.amount,
        currency: product.price.currency,
        quantity: line.quantity,
      };
    });
    const currencies = new Set(lines.map((line) => line.currency));
    if (currencies.size !== 1) {
      return {
        order: null,
        userErrors: [
          userError(
            ErrorCode.MIXED_CURRENCIES,
            'The cart holds products priced in different currencies',
          ),
        ],
      };
    }
    const currency = lines[0]!.currency;
    const totalAmount = lines.reduce((sum, line) => sum + line.unitPriceAmount * line.quantity, 0);
    if (totalAmount > MAX_ORDER_TOTAL) {
      return {
        order: null,
        userErrors: [userError('ORDER_TOO_LARGE', 'The order total is too large')],
      };
    }

    try {
      const order = await this.db.$transaction(async (tx) => {
        const created = await this.repository.create(tx, {
          userId: caller.userId,
          idempotencyKey,
          currency,
          totalAmount,
          lines,
        });
        await appendToOutbox(tx, ORDERS_OUTBOX_SOURCE, [
          createEvent(
            'OrderPlaced',
            created.id,
            {
              orderId: created.id,
              userId: caller.userId,
              items: lines.map((line) => ({
                productId: line.productId,
                quantity: line.quantity,
                productName: line.productName,
                unitPrice: { amount: line.unitPriceAmount, currency },
              })),
              total: { amount: totalAmount, currency },
              paymentToken,
            },
            ctx.requestId,
          ),
        ]);
        return created;
      }, TRANSACTION_OPTIONS);
      ctx.log.info({ orderId: order.id, totalAmount, currency }, 'order placed');
      return { order, userErrors: [] };
    } catch (error) {
      // A concurrent retry with the same key won the insert: answer with its order.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.repository.findByIdempotencyKey(caller.userId, idempotencyKey);
      if (!winner) throw error;
      return { order: winner, userErrors: [] };
    }
  }

  cancelOrder(ctx: RequestContext, id: string): Promise<OrderPayload> {
    const caller = requireUser(ctx.principal);
    const reason = isAdmin(caller) ? 'cancelled by an administrator' : 'cancelled by the customer';
    return this.changeStatusByRequest(ctx, id, 'CANCELLED', reason);
  }

  shipOrder(ctx: RequestContext, id: string): Promise<OrderPayload> {
    requireAdmin(ctx.principal);
    return this.changeStatusByRequest(ctx, id, 'SHIPPED', null);
  }

  deliverOrder(ctx: RequestContext, id: string): Promise<OrderPayload> {
    requireAdmin(ctx.principal);
    return this.changeStatusByRequest(ctx, id, 'DELIVERED', null);
  }

  /** A status change asked for through the API: the caller must own the order or be an ADMIN. */
  private async changeStatusByRequest(
    ctx: RequestContext,
    id: string,
    to: OrderStatus,
    reason: string | null,
  ): Promise<OrderPayload> {
    const caller = requireUser(ctx.principal);
    const payload = await this.db.$transaction(async (tx): Promise<OrderPayload> => {
      const order = isOrderId(id) ? await this.repository.lockForUpdate(tx, id) : null;
      this.authorizeRead(caller, order);
      if (!order) {
        return {
          order: null,
          userErrors: [userError('ORDER_NOT_FOUND', 'No order has this id', ['id'])],
        };
      }
      const outcome = await this.transitions.transitionLocked(tx, order, to, reason, ctx.requestId);
      if (outcome.kind === 'refused') {
        return { order: outcome.order, userErrors: [invalidTransition(order.status, to)] };
      }
      return { order: outcome.order, userErrors: [] };
    }, TRANSACTION_OPTIONS);
    if (payload.userErrors.length === 0) {
      ctx.log.info({ orderId: id, to }, 'order status changed on request');
    }
    return payload;
  }
}

import { isAdmin, requireAdmin, requireOwnerOrAdmin, requireUser } from '@microshop/auth';
import { isUniqueViolation, type Db } from '@microshop/db';
import { appendToOutbox, createEvent } from '@microshop/events';
import {
  badUserInput,
  checkPageSize,
  decodeCursor,
  isUuid,
  connectionOf,
  type Connection,
  userError,
  type RequestContext,
  type UserError,
} from '@microshop/runtime';
import { outboxSource } from './events.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { OrderLoaders } from './loaders.ts';
import type { OrderStatus } from './order-state-machine.ts';
import type { OrderTransitions } from './order-transitions.ts';
import type {
  OrderItemRecord,
  OrderRecord,
  OrderRepository,
  OrderStatusChangeRecord,
} from './order.repository.ts';
import type { ShopUpstream } from './upstream.ts';

type OrdersUserError = UserError<UserErrorCode>;

export interface OrderPayload {
  order: OrderRecord | null;
  userErrors: OrdersUserError[];
}

export type OrderPage = Connection<OrderRecord>;

export interface PlaceOrderInput {
  idempotencyKey: string;
  paymentToken: string;
}

/** Waits for a pooled connection under load rather than failing the request (Prisma's default is 2 s). */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };
const MAX_KEY_LENGTH = 128;
const MAX_ORDER_TOTAL = 2 ** 31 - 1; // Money.amount is a GraphQL Int

function invalidTransition(from: OrderStatus, to: OrderStatus): OrdersUserError {
  return userError(
    UserErrorCode.INVALID_TRANSITION,
    `An order that is ${from} cannot become ${to}`,
  );
}

export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly repository: OrderRepository,
    private readonly transitions: OrderTransitions,
    private readonly upstream: ShopUpstream,
    private readonly loaders: OrderLoaders,
  ) {}

  /**
   * Owner or ADMIN; anyone else gets FORBIDDEN, also for an id that does not exist (so ids
   * cannot be probed). An ADMIN asking for a missing order gets null.
   */
  private authorizeRead(ctx: RequestContext, order: OrderRecord | null): OrderRecord | null {
    requireOwnerOrAdmin(ctx.principal, order?.userId, 'Not allowed to see this order');
    return order;
  }

  /** One order (Query.order and Order references alike); all of one request share one query. */
  async order(ctx: RequestContext, id: string): Promise<OrderRecord | null> {
    requireUser(ctx.principal);
    return this.authorizeRead(ctx, await this.loaders.orderById.load(id));
  }

  /** An order's lines, read for every order of the request at once. */
  itemsOf(order: OrderRecord): Promise<OrderItemRecord[]> {
    return this.loaders.itemsByOrderId.load(order.id);
  }

  /** An order's status history, read for every order of the request at once. */
  historyOf(order: OrderRecord): Promise<OrderStatusChangeRecord[]> {
    return this.loaders.historyByOrderId.load(order.id);
  }

  async ordersOfUser(
    ctx: RequestContext,
    userId: string,
    first: number,
    after: string | null,
  ): Promise<OrderPage> {
    requireOwnerOrAdmin(ctx.principal, userId, "Not allowed to see this user's orders");
    checkPageSize(first);
    const position = after ? decodeCursor(after) : null;
    const [rows, totalCount] = await Promise.all([
      this.repository.listByUser(userId, first + 1, position),
      this.repository.countByUser(userId),
    ]);
    return connectionOf(rows, first, totalCount);
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
      return {
        order: null,
        userErrors: [userError(UserErrorCode.EMPTY_CART, 'The cart is empty')],
      };
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
            UserErrorCode.PRODUCT_UNAVAILABLE,
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
            UserErrorCode.MIXED_CURRENCIES,
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
        userErrors: [userError(UserErrorCode.ORDER_TOO_LARGE, 'The order total is too large')],
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
        await appendToOutbox(tx, outboxSource, [
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
    const payload = await this.db.$transaction(async (tx): Promise<OrderPayload> => {
      const order = isUuid(id) ? await this.repository.lockForUpdate(tx, id) : null;
      this.authorizeRead(ctx, order);
      if (!order) {
        return {
          order: null,
          userErrors: [userError(UserErrorCode.ORDER_NOT_FOUND, 'No order has this id', ['id'])],
        };
      }
      const actor = isAdmin(requireUser(ctx.principal)) ? 'ADMIN' : 'CUSTOMER';
      const outcome = await this.transitions.transitionLocked(
        tx,
        order,
        to,
        reason,
        ctx.requestId,
        actor,
      );
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

import { isAdmin, requireAdmin, requireOwnerOrAdmin, requireUser } from '@microshop/auth';
import { REQUEST_TRANSACTION_OPTIONS, isUniqueViolation, type Db } from '@microshop/db';
import { appendToOutbox, createEvent } from '@microshop/events';
import {
  boundedText,
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
  OrderAddressRecord,
  OrderItemRecord,
  OrderRecord,
  OrderRepository,
  OrderStatusChangeRecord,
} from './order.repository.ts';
import type { CheckoutChoices, CheckoutService } from './checkout.service.ts';
import type { DiscountCodeRecord, DiscountRepository } from './discount.repository.ts';
import { discountRefusal } from './discount.service.ts';

type OrdersUserError = UserError<UserErrorCode>;

export interface OrderPayload {
  order: OrderRecord | null;
  userErrors: OrdersUserError[];
}

export type OrderPage = Connection<OrderRecord>;

export interface PlaceOrderInput extends CheckoutChoices {
  idempotencyKey: string;
  paymentToken: string;
}

const MAX_KEY_LENGTH = 128;

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
    private readonly checkout: CheckoutService,
    private readonly discounts: DiscountRepository,
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

  /** An order's address of one kind (SHIPPING or BILLING), read for every order of the request at once. */
  async addressOf(
    order: OrderRecord,
    kind: OrderAddressRecord['kind'],
  ): Promise<OrderAddressRecord | null> {
    const addresses = await this.loaders.addressesByOrderId.load(order.id);
    return addresses.find((address) => address.kind === kind) ?? null;
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
    const idempotencyKey = boundedText(input.idempotencyKey, MAX_KEY_LENGTH, [
      'input',
      'idempotencyKey',
    ]);
    const paymentToken = boundedText(input.paymentToken, MAX_KEY_LENGTH, ['input', 'paymentToken']);

    // A retry after success must not read the cart again: it is emptied once the order is placed.
    const existing = await this.repository.findByIdempotencyKey(caller.userId, idempotencyKey);
    if (existing) return { order: existing, userErrors: [] };

    const quoted = await this.checkout.quote(ctx, input, 'order');
    if ('userErrors' in quoted) {
      return this.refusedUnlessPlaced(caller.userId, idempotencyKey, quoted.userErrors);
    }
    const { quote } = quoted;
    const { currency, lines, totals } = quote;

    try {
      const placed = await this.db.$transaction(async (tx): Promise<OrderPayload> => {
        // The code's row stays locked until commit: its last use goes to exactly one order.
        let code: DiscountCodeRecord | null = null;
        if (quote.discountCode) {
          code = await this.discounts.lockByCode(tx, quote.discountCode.code);
          const refusal = discountRefusal(code, {
            now: new Date(),
            currency,
            subtotal: totals.subtotal,
            usesByCustomer: code ? await this.discounts.usesBy(code.id, caller.userId, tx) : 0,
          });
          if (refusal) return this.refusedUnlessPlaced(caller.userId, idempotencyKey, [refusal]);
        }
        const created = await this.repository.create(tx, {
          userId: caller.userId,
          idempotencyKey,
          currency,
          lines,
          totals,
          taxRateBps: quote.taxRateBps,
          pricesIncludeTax: quote.pricesIncludeTax,
          shippingAddress: quote.shippingAddress,
          billingAddress: quote.billingAddress,
          shippingMethod: quote.shippingMethod,
          discountCode: code?.code ?? null,
        });
        if (code) {
          await this.discounts.redeem(tx, code, {
            orderId: created.id,
            userId: caller.userId,
            amount: totals.discount,
          });
        }
        await appendToOutbox(tx, outboxSource, [
          createEvent(
            'OrderPlaced',
            created.id,
            {
              orderId: created.id,
              userId: caller.userId,
              items: lines.map((line) => ({
                productId: line.productId,
                variantId: line.variantId,
                quantity: line.quantity,
                productName: line.productName,
                unitPrice: { amount: line.unitPriceAmount, currency },
              })),
              total: { amount: totals.total, currency },
              paymentToken,
              shippingAddress: quote.shippingAddress,
              billingAddress: quote.billingAddress,
            },
            ctx.requestId,
          ),
        ]);
        return { order: created, userErrors: [] };
      }, REQUEST_TRANSACTION_OPTIONS);
      if (placed.order) {
        ctx.log.info({ orderId: placed.order.id, ...totals, currency }, 'order placed');
      }
      return placed;
    } catch (error) {
      // A concurrent retry with the same key won the insert: answer with its order.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.repository.findByIdempotencyKey(caller.userId, idempotencyKey);
      if (!winner) throw error;
      return { order: winner, userErrors: [] };
    }
  }

  /**
   * A refusal, unless a concurrent call with the same key placed the order meanwhile: that call
   * may have taken the cart's units or the code's last use, and its order is the answer.
   */
  private async refusedUnlessPlaced(
    userId: string,
    idempotencyKey: string,
    userErrors: OrdersUserError[],
  ): Promise<OrderPayload> {
    const placed = await this.repository.findByIdempotencyKey(userId, idempotencyKey);
    return placed ? { order: placed, userErrors: [] } : { order: null, userErrors };
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
    }, REQUEST_TRANSACTION_OPTIONS);
    if (payload.userErrors.length === 0) {
      ctx.log.info({ orderId: id, to }, 'order status changed on request');
    }
    return payload;
  }
}

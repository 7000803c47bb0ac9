import type { PostalAddress } from '@microshop/addresses';
import type { Db, Prisma, Tx } from '@microshop/db';
import type { ListPosition } from '@microshop/runtime';
import type { CheckoutTotals } from './checkout-pricing.ts';
import type { OrderStatus } from './order-state-machine.ts';

export type OrderRecord = Prisma.OrderModel;
export type OrderItemRecord = Prisma.OrderItemModel;
export type OrderStatusChangeRecord = Prisma.OrderStatusChangeModel;
export type OrderAddressRecord = Prisma.OrderAddressModel;
/** Who made a change: the customer, an ADMIN, or the shop itself (SYSTEM). */
export type OrderActor = OrderStatusChangeRecord['actor'];

export interface NewOrderLine {
  productId: string;
  productName: string;
  variantId: string;
  variantSku: string;
  variantTitle: string;
  selectedOptions: Array<{ name: string; value: string }>;
  unitPriceAmount: number;
  quantity: number;
}

export interface NewOrder {
  userId: string;
  idempotencyKey: string;
  currency: string;
  lines: NewOrderLine[];
  totals: CheckoutTotals;
  /** The rest defaults to an order without checkout choices: nothing shipped, no tax, no code. */
  taxRateBps?: number;
  pricesIncludeTax?: boolean;
  shippingAddress?: PostalAddress | null;
  billingAddress?: PostalAddress | null;
  shippingMethod?: { code: string; name: string } | null;
  discountCode?: string | null;
}

/** The data access of orders, their lines, addresses and history (discount codes: DiscountRepository). */
export class OrderRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<OrderRecord | null> {
    return this.db.order.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<OrderRecord[]> {
    return this.db.order.findMany({ where: { id: { in: [...ids] } } });
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderRecord | null> {
    return this.db.order.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey } },
    });
  }

  /** Writes a PENDING order with its lines and first history row (inside the caller's transaction). */
  create(tx: Tx, order: NewOrder): Promise<OrderRecord> {
    return tx.order.create({
      data: {
        userId: order.userId,
        idempotencyKey: order.idempotencyKey,
        status: 'PENDING',
        currency: order.currency,
        totalAmount: order.totals.total,
        subtotalAmount: order.totals.subtotal,
        discountAmount: order.totals.discount,
        shippingAmount: order.totals.shipping,
        taxAmount: order.totals.tax,
        taxRateBps: order.taxRateBps ?? 0,
        pricesIncludeTax: order.pricesIncludeTax ?? false,
        shippingMethodCode: order.shippingMethod?.code ?? null,
        shippingMethodName: order.shippingMethod?.name ?? null,
        discountCode: order.discountCode ?? null,
        version: 1,
        addresses: {
          create: [
            ...(order.shippingAddress
              ? [{ kind: 'SHIPPING' as const, ...order.shippingAddress }]
              : []),
            ...(order.billingAddress
              ? [{ kind: 'BILLING' as const, ...order.billingAddress }]
              : []),
          ],
        },
        items: {
          create: order.lines.map((line, index) => ({
            position: index + 1,
            productId: line.productId,
            productName: line.productName,
            variantId: line.variantId,
            variantSku: line.variantSku,
            variantTitle: line.variantTitle,
            selectedOptions: line.selectedOptions,
            unitPriceAmount: line.unitPriceAmount,
            currency: order.currency,
            quantity: line.quantity,
          })),
        },
        history: {
          create: { sequence: 1, fromStatus: null, status: 'PENDING', actor: 'CUSTOMER' },
        },
      },
    });
  }

  /**
   * Reads an order and locks its row until the transaction ends, so concurrent transitions of
   * one order (the worker and a customer's cancel) run one after the other, each seeing the
   * status the previous one left.
   */
  async lockForUpdate(tx: Tx, id: string): Promise<OrderRecord | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM orders WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return tx.order.findUnique({ where: { id } });
  }

  /** Moves a locked order to `to`, appending history row number `version + 1`. */
  async recordTransition(
    tx: Tx,
    order: OrderRecord,
    to: OrderStatus,
    reason: string | null,
    actor: OrderActor,
  ): Promise<OrderRecord> {
    const sequence = order.version + 1;
    await tx.orderStatusChange.create({
      data: { orderId: order.id, sequence, fromStatus: order.status, status: to, reason, actor },
    });
    return tx.order.update({ where: { id: order.id }, data: { status: to, version: sequence } });
  }

  itemsOf(orderIds: readonly string[]): Promise<OrderItemRecord[]> {
    return this.db.orderItem.findMany({
      where: { orderId: { in: [...orderIds] } },
      orderBy: [{ orderId: 'asc' }, { position: 'asc' }],
    });
  }

  addressesOf(orderIds: readonly string[]): Promise<OrderAddressRecord[]> {
    return this.db.orderAddress.findMany({ where: { orderId: { in: [...orderIds] } } });
  }

  historyOf(orderIds: readonly string[]): Promise<OrderStatusChangeRecord[]> {
    return this.db.orderStatusChange.findMany({
      where: { orderId: { in: [...orderIds] } },
      orderBy: [{ orderId: 'asc' }, { sequence: 'asc' }],
    });
  }

  /** A user's orders newest first, strictly after `after` in that order. */
  listByUser(userId: string, take: number, after: ListPosition | null): Promise<OrderRecord[]> {
    return this.db.order.findMany({
      where: {
        userId,
        ...(after
          ? {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  countByUser(userId: string): Promise<number> {
    return this.db.order.count({ where: { userId } });
  }
}

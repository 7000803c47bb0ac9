import { requireAdmin, requireOwnerOrAdmin, requireUser } from '@microshop/auth';
import { REQUEST_TRANSACTION_OPTIONS, type Db } from '@microshop/db';
import { appendToOutbox, createEvent } from '@microshop/events';
import {
  badUserInput,
  boundedText,
  checkPageSize,
  connectionOf,
  decodeCursor,
  isUuid,
  userError,
  type Connection,
  type RequestContext,
  type UserError,
} from '@microshop/runtime';
import type {
  AfterOrderRepository,
  ReturnLineView,
  ReturnRequestRecord,
  ReturnStatus,
  TimelineEntry,
} from './after-order.repository.ts';
import { outboxSource } from './events.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { AfterOrderLoaders, OrderLoaders } from './loaders.ts';
import type { OrderRecord, OrderRepository } from './order.repository.ts';

type OrdersUserError = UserError<UserErrorCode>;

export interface ReturnRequestPayload {
  returnRequest: ReturnRequestRecord | null;
  userErrors: OrdersUserError[];
}

export interface RequestReturnInput {
  orderId: string;
  lines: { position: number; quantity: number }[];
  reason: string;
}

const MAX_REASON_LENGTH = 500;
const MAX_RETURN_LINES = 100;

function failed(error: OrdersUserError): ReturnRequestPayload {
  return { returnRequest: null, userErrors: [error] };
}

/**
 * What follows an order: the customer's return requests and an ADMIN's decision on them, and the
 * order timeline (status history merged with the payment, refund and return entries).
 */
export class AfterOrderService {
  constructor(
    private readonly db: Db,
    private readonly repository: AfterOrderRepository,
    private readonly orders: OrderRepository,
    private readonly orderLoaders: OrderLoaders,
    private readonly loaders: AfterOrderLoaders,
  ) {}

  /** Everything that happened to a readable order, oldest first (ties: status changes first). */
  async timelineOf(ctx: RequestContext, order: OrderRecord): Promise<TimelineEntry[]> {
    requireOwnerOrAdmin(ctx.principal, order.userId, 'Not allowed to see this order');
    const [history, rows] = await Promise.all([
      this.orderLoaders.historyByOrderId.load(order.id),
      this.loaders.timelineByOrderId.load(order.id),
    ]);
    const entries: TimelineEntry[] = [
      ...history.map((change) => ({
        at: change.at,
        kind: 'STATUS_CHANGED' as const,
        actor: change.actor,
        status: change.status,
        amount: null,
        note: change.reason,
        returnRequestId: null,
      })),
      ...rows.map((row) => ({
        at: row.at,
        kind: row.kind,
        actor: row.actor,
        status: null,
        amount:
          row.amount !== null && row.currency !== null
            ? { amount: row.amount, currency: row.currency }
            : null,
        note: row.note,
        returnRequestId: row.returnRequestId,
      })),
    ];
    // A stable sort: equal times keep status changes before the rows.
    return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** The ADMIN's queue: every customer's return requests, oldest first, of one status or all. */
  async returnRequests(
    ctx: RequestContext,
    status: ReturnStatus | null,
    first: number,
    after: string | null,
  ): Promise<Connection<ReturnRequestRecord>> {
    requireAdmin(ctx.principal);
    checkPageSize(first);
    const position = after ? decodeCursor(after) : null;
    const [rows, totalCount] = await Promise.all([
      this.repository.listReturns(status, first + 1, position),
      this.repository.countReturns(status),
    ]);
    return connectionOf(rows, first, totalCount);
  }

  returnsOf(order: OrderRecord): Promise<ReturnRequestRecord[]> {
    return this.loaders.returnsByOrderId.load(order.id);
  }

  async linesOf(returnRequest: ReturnRequestRecord): Promise<ReturnLineView[]> {
    const [lines, items] = await Promise.all([
      this.loaders.returnLinesByReturnId.load(returnRequest.id),
      this.orderLoaders.itemsByOrderId.load(returnRequest.orderId),
    ]);
    return lines.flatMap((line) => {
      const item = items.find((candidate) => candidate.position === line.position);
      return item ? [{ item, quantity: line.quantity }] : [];
    });
  }

  /** The order of a return request the caller could read (it came through its order or a payload). */
  async orderOf(returnRequest: ReturnRequestRecord): Promise<OrderRecord> {
    const order = await this.orderLoaders.orderById.load(returnRequest.orderId);
    if (!order) throw new Error(`return request ${returnRequest.id} has no order`);
    return order;
  }

  async requestReturn(
    ctx: RequestContext,
    input: RequestReturnInput,
  ): Promise<ReturnRequestPayload> {
    const caller = requireUser(ctx.principal);
    const reason = boundedText(input.reason, MAX_REASON_LENGTH, ['input', 'reason']);
    if (input.lines.length === 0 || input.lines.length > MAX_RETURN_LINES) {
      throw badUserInput(`lines must hold 1 to ${MAX_RETURN_LINES} lines`, ['input', 'lines']);
    }
    input.lines.forEach((line, index) => {
      if (line.quantity < 1) {
        throw badUserInput('quantity must be at least 1', [
          'input',
          'lines',
          `${index}`,
          'quantity',
        ]);
      }
    });
    if (new Set(input.lines.map((line) => line.position)).size !== input.lines.length) {
      throw badUserInput('each position may appear once', ['input', 'lines']);
    }

    const payload = await this.db.$transaction(async (tx): Promise<ReturnRequestPayload> => {
      // The order's lock makes concurrent requests for one order see each other's quantities.
      const order = isUuid(input.orderId)
        ? await this.orders.lockForUpdate(tx, input.orderId)
        : null;
      if (order?.userId !== caller.userId) {
        return failed(
          userError(UserErrorCode.ORDER_NOT_FOUND, 'No order of yours has this id', [
            'input',
            'orderId',
          ]),
        );
      }
      if (order.status !== 'DELIVERED') {
        return failed(
          userError(
            UserErrorCode.ORDER_NOT_DELIVERED,
            `Only a DELIVERED order can be returned; this one is ${order.status}`,
            ['input', 'orderId'],
          ),
        );
      }
      const [items, returned] = await Promise.all([
        this.orders.itemsOf([order.id]),
        this.repository.returnedQuantities(tx, order.id),
      ]);
      let refundAmount = 0;
      for (const [index, line] of input.lines.entries()) {
        const item = items.find((candidate) => candidate.position === line.position);
        if (!item) {
          return failed(
            userError(UserErrorCode.UNKNOWN_ORDER_LINE, `The order has no line ${line.position}`, [
              'input',
              'lines',
              `${index}`,
              'position',
            ]),
          );
        }
        const returnable = item.quantity - (returned.get(item.position) ?? 0);
        if (line.quantity > returnable) {
          return failed(
            userError(
              UserErrorCode.RETURN_QUANTITY_EXCEEDED,
              `At most ${returnable} of line ${line.position} can still be returned`,
              ['input', 'lines', `${index}`, 'quantity'],
            ),
          );
        }
        refundAmount += item.unitPriceAmount * line.quantity;
      }
      const created = await this.repository.createReturn(tx, {
        orderId: order.id,
        userId: caller.userId,
        reason,
        refundAmount,
        currency: order.currency,
        lines: input.lines,
      });
      await this.repository.appendTimeline(tx, {
        orderId: order.id,
        kind: 'RETURN_REQUESTED',
        actor: 'CUSTOMER',
        amount: refundAmount,
        currency: order.currency,
        note: reason,
        returnRequestId: created.id,
      });
      return { returnRequest: created, userErrors: [] };
    }, REQUEST_TRANSACTION_OPTIONS);
    if (payload.returnRequest) {
      ctx.log.info(
        { orderId: input.orderId, returnRequestId: payload.returnRequest.id },
        'return requested',
      );
    }
    return payload;
  }

  approveReturn(ctx: RequestContext, returnRequestId: string): Promise<ReturnRequestPayload> {
    return this.decide(ctx, returnRequestId, 'APPROVED', null);
  }

  rejectReturn(
    ctx: RequestContext,
    returnRequestId: string,
    reason: string,
  ): Promise<ReturnRequestPayload> {
    const note = boundedText(reason, MAX_REASON_LENGTH, ['input', 'reason']);
    return this.decide(ctx, returnRequestId, 'REJECTED', note);
  }

  /**
   * An ADMIN's decision on a REQUESTED return, once: the return row locked, its status, the
   * timeline entry and (approved) ReturnApproved for payments to refund, in one transaction.
   */
  private async decide(
    ctx: RequestContext,
    returnRequestId: string,
    status: 'APPROVED' | 'REJECTED',
    note: string | null,
  ): Promise<ReturnRequestPayload> {
    const admin = requireAdmin(ctx.principal);
    const payload = await this.db.$transaction(async (tx): Promise<ReturnRequestPayload> => {
      const request = isUuid(returnRequestId)
        ? await this.repository.lockReturn(tx, returnRequestId)
        : null;
      if (!request) {
        return failed(
          userError(UserErrorCode.RETURN_NOT_FOUND, 'No return request has this id', [
            'input',
            'returnRequestId',
          ]),
        );
      }
      if (request.status !== 'REQUESTED') {
        return {
          returnRequest: request,
          userErrors: [
            userError(
              UserErrorCode.RETURN_ALREADY_DECIDED,
              `The return request is ${request.status} already`,
              ['input', 'returnRequestId'],
            ),
          ],
        };
      }
      const decided = await this.repository.decideReturn(tx, request.id, status, note);
      await this.repository.appendTimeline(tx, {
        orderId: request.orderId,
        kind: status === 'APPROVED' ? 'RETURN_APPROVED' : 'RETURN_REJECTED',
        actor: 'ADMIN',
        amount: request.refundAmount,
        currency: request.currency,
        note,
        returnRequestId: request.id,
      });
      if (status === 'APPROVED') {
        await appendToOutbox(tx, outboxSource, [
          createEvent(
            'ReturnApproved',
            request.orderId,
            {
              orderId: request.orderId,
              returnRequestId: request.id,
              amount: { amount: request.refundAmount, currency: request.currency },
              approvedBy: admin.userId,
            },
            ctx.requestId,
          ),
        ]);
      }
      return { returnRequest: decided, userErrors: [] };
    }, REQUEST_TRANSACTION_OPTIONS);
    if (payload.userErrors.length === 0) {
      ctx.log.info({ returnRequestId, status }, 'return request decided');
    }
    return payload;
  }
}

import type { Db, Prisma, Tx } from '@microshop/db';
import type { ListPosition } from '@microshop/runtime';
import type { OrderStatus } from './order-state-machine.ts';
import type { OrderActor, OrderItemRecord } from './order.repository.ts';

export type ReturnRequestRecord = Prisma.ReturnRequestModel;
export type ReturnRequestLineRecord = Prisma.ReturnRequestLineModel;
export type TimelineEntryRecord = Prisma.OrderTimelineEntryModel;
export type ReturnStatus = ReturnRequestRecord['status'];

/** One entry of Order.timeline: a status change (from the history) or a timeline row. */
export interface TimelineEntry {
  at: Date;
  kind: TimelineEntryRecord['kind'] | 'STATUS_CHANGED';
  actor: OrderActor;
  status: OrderStatus | null;
  amount: { amount: number; currency: string } | null;
  note: string | null;
  returnRequestId: string | null;
}

/** A line of a return request with the order line it sends back. */
export interface ReturnLineView {
  item: OrderItemRecord;
  quantity: number;
}

export type NewTimelineEntry = Pick<TimelineEntryRecord, 'orderId' | 'kind' | 'actor'> &
  Partial<Pick<TimelineEntryRecord, 'amount' | 'currency' | 'note' | 'returnRequestId' | 'at'>>;

export interface NewReturnRequest {
  orderId: string;
  userId: string;
  reason: string;
  refundAmount: number;
  currency: string;
  lines: { position: number; quantity: number }[];
}

/** The data access of what happens after an order is placed: return requests and the timeline. */
export class AfterOrderRepository {
  constructor(private readonly db: Db) {}

  appendTimeline(tx: Tx, entry: NewTimelineEntry): Promise<TimelineEntryRecord> {
    return tx.orderTimelineEntry.create({ data: entry });
  }

  timelineOf(orderIds: readonly string[]): Promise<TimelineEntryRecord[]> {
    return this.db.orderTimelineEntry.findMany({
      where: { orderId: { in: [...orderIds] } },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
  }

  createReturn(tx: Tx, request: NewReturnRequest): Promise<ReturnRequestRecord> {
    const { lines, ...fields } = request;
    return tx.returnRequest.create({
      data: { ...fields, status: 'REQUESTED', lines: { create: lines } },
    });
  }

  /** Units of each line (by position) asked back by the order's returns that were not rejected. */
  async returnedQuantities(tx: Tx, orderId: string): Promise<Map<number, number>> {
    const rows = await tx.returnRequestLine.groupBy({
      by: ['position'],
      where: { returnRequest: { orderId, status: { not: 'REJECTED' } } },
      _sum: { quantity: true },
    });
    return new Map(rows.map((row) => [row.position, row._sum.quantity ?? 0]));
  }

  /** Reads a return request and locks its row until the transaction ends (one decision each). */
  async lockReturn(tx: Tx, id: string): Promise<ReturnRequestRecord | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM return_requests WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return tx.returnRequest.findUnique({ where: { id } });
  }

  decideReturn(
    tx: Tx,
    id: string,
    status: 'APPROVED' | 'REJECTED',
    decisionNote: string | null,
  ): Promise<ReturnRequestRecord> {
    return tx.returnRequest.update({
      where: { id },
      data: { status, decisionNote, decidedAt: new Date() },
    });
  }

  /** APPROVED -> REFUNDED; false when the return was not APPROVED (already refunded). */
  async markReturnRefunded(tx: Tx, id: string): Promise<boolean> {
    const { count } = await tx.returnRequest.updateMany({
      where: { id, status: 'APPROVED' },
      data: { status: 'REFUNDED' },
    });
    return count === 1;
  }

  returnsOf(orderIds: readonly string[]): Promise<ReturnRequestRecord[]> {
    return this.db.returnRequest.findMany({
      where: { orderId: { in: [...orderIds] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Return requests oldest first, strictly after `after` in that order; of one status or all. */
  listReturns(
    status: ReturnStatus | null,
    take: number,
    after: ListPosition | null,
  ): Promise<ReturnRequestRecord[]> {
    return this.db.returnRequest.findMany({
      where: {
        ...(status ? { status } : {}),
        ...(after
          ? {
              OR: [
                { createdAt: { gt: after.createdAt } },
                { createdAt: after.createdAt, id: { gt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
    });
  }

  countReturns(status: ReturnStatus | null): Promise<number> {
    return this.db.returnRequest.count({ where: status ? { status } : {} });
  }

  returnLinesOf(returnIds: readonly string[]): Promise<ReturnRequestLineRecord[]> {
    return this.db.returnRequestLine.findMany({
      where: { returnRequestId: { in: [...returnIds] } },
      orderBy: [{ returnRequestId: 'asc' }, { position: 'asc' }],
    });
  }
}

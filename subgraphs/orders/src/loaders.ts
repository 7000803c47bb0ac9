import DataLoader from 'dataloader';
import { groupedBy, isUuid } from '@microshop/runtime';
import type {
  AfterOrderRepository,
  ReturnRequestLineRecord,
  ReturnRequestRecord,
  TimelineEntryRecord,
} from './after-order.repository.ts';
import type {
  OrderAddressRecord,
  OrderItemRecord,
  OrderRecord,
  OrderRepository,
  OrderStatusChangeRecord,
} from './order.repository.ts';

/** Per-request batching: one query per field per request, however many orders are listed. */
export interface OrderLoaders {
  orderById: DataLoader<string, OrderRecord | null>;
  itemsByOrderId: DataLoader<string, OrderItemRecord[]>;
  historyByOrderId: DataLoader<string, OrderStatusChangeRecord[]>;
  addressesByOrderId: DataLoader<string, OrderAddressRecord[]>;
}

const byOrderId = (row: { orderId: string }) => row.orderId;

export function createOrderLoaders(repository: OrderRepository): OrderLoaders {
  return {
    orderById: new DataLoader(async (ids) => {
      // A malformed id names no order; asking PostgreSQL would fail the uuid cast.
      const rows = await repository.findByIds(ids.filter(isUuid));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    itemsByOrderId: new DataLoader(async (ids) =>
      groupedBy(ids, await repository.itemsOf(ids), byOrderId),
    ),
    historyByOrderId: new DataLoader(async (ids) =>
      groupedBy(ids, await repository.historyOf(ids), byOrderId),
    ),
    addressesByOrderId: new DataLoader(async (ids) =>
      groupedBy(ids, await repository.addressesOf(ids), byOrderId),
    ),
  };
}

/** Per-request batching of what follows an order: its timeline rows, returns and their lines. */
export interface AfterOrderLoaders {
  timelineByOrderId: DataLoader<string, TimelineEntryRecord[]>;
  returnsByOrderId: DataLoader<string, ReturnRequestRecord[]>;
  returnLinesByReturnId: DataLoader<string, ReturnRequestLineRecord[]>;
}

export function createAfterOrderLoaders(repository: AfterOrderRepository): AfterOrderLoaders {
  return {
    timelineByOrderId: new DataLoader(async (ids) =>
      groupedBy(ids, await repository.timelineOf(ids), byOrderId),
    ),
    returnsByOrderId: new DataLoader(async (ids) =>
      groupedBy(ids, await repository.returnsOf(ids), byOrderId),
    ),
    returnLinesByReturnId: new DataLoader(async (ids) =>
      groupedBy(ids, await repository.returnLinesOf(ids), (line) => line.returnRequestId),
    ),
  };
}

import DataLoader from 'dataloader';
import { isUuid } from '@microshop/runtime';
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

function groupByOrderId<T extends { orderId: string }>(ids: readonly string[], rows: T[]): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(row.orderId)?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
}

export function createOrderLoaders(repository: OrderRepository): OrderLoaders {
  return {
    orderById: new DataLoader(async (ids) => {
      // A malformed id names no order; asking PostgreSQL would fail the uuid cast.
      const rows = await repository.findByIds(ids.filter(isUuid));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    itemsByOrderId: new DataLoader(async (ids) =>
      groupByOrderId(ids, await repository.itemsOf(ids)),
    ),
    historyByOrderId: new DataLoader(async (ids) =>
      groupByOrderId(ids, await repository.historyOf(ids)),
    ),
    addressesByOrderId: new DataLoader(async (ids) =>
      groupByOrderId(ids, await repository.addressesOf(ids)),
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
      groupByOrderId(ids, await repository.timelineOf(ids)),
    ),
    returnsByOrderId: new DataLoader(async (ids) =>
      groupByOrderId(ids, await repository.returnsOf(ids)),
    ),
    returnLinesByReturnId: new DataLoader(async (ids) => {
      const lines = await repository.returnLinesOf(ids);
      return ids.map((id) => lines.filter((line) => line.returnRequestId === id));
    }),
  };
}

import { liveField } from '../live-field.ts';

/** Every status change of one order; the owner or an ADMIN only (the order query's rule). */
export const orderStatusChanged = liveField({
  field: 'orderStatusChanged',
  eventType: 'OrderStatusChanged',
  keyArgument: 'orderId',
  entityQuery: { field: 'order', keyArgument: 'id' },
});

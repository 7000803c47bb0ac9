import { liveField } from '../live-field.ts';

/**
 * Every change of one product: the catalog announces ProductChanged with each write of it, stock
 * reservations, releases and shipments by the order saga included. Anyone may subscribe.
 */
export const productChanged = liveField({
  field: 'productChanged',
  eventType: 'ProductChanged',
  keyArgument: 'productId',
  entityQuery: { field: 'product', keyArgument: 'id' },
});

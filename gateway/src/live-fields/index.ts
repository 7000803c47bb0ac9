import type { AnyLiveField } from '../live-field.ts';
import { orderStatusChanged } from './order-status-changed.ts';
import { productChanged } from './product-changed.ts';

/** Every Subscription field of the supergraph, as the gateway serves it. */
export const LIVE_FIELDS: readonly AnyLiveField[] = [orderStatusChanged, productChanged];

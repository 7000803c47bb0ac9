import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** `version-traceid-parentid-flags` in lowercase hex (W3C Trace Context). */
const TRACEPARENT_FORMAT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Every event on the bus: a versioned JSON envelope, validated where it is consumed.
 * `aggregateId` is the partition key (an order id for the saga), so one order's events stay ordered.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  aggregateId: z.string().min(1),
  /** The request that caused this event, carried into every log line of its handlers. */
  requestId: z.string().optional(),
  /**
   * The W3C trace context the event was written in (appendToOutbox stamps it when tracing is on),
   * so its consumers' spans join the producer's trace. Optional: events without it, and older
   * consumers that ignore it, stay valid; a malformed one is dropped, never a reason to refuse.
   */
  traceparent: z.string().regex(TRACEPARENT_FORMAT).optional().catch(undefined),
  payload: z.unknown(),
});

export type Envelope<TType extends string = string, TPayload = unknown> = Omit<
  z.infer<typeof envelopeSchema>,
  'type' | 'payload'
> & { type: TType; payload: TPayload };

const money = z.object({ amount: z.number().int(), currency: z.string().length(3) });
/**
 * The variant of a line's product. Absent in events written before products had variants: such a
 * line is of the product's single variant, whose id is the product's (see the catalog's variants
 * migration), which is what `variantOf` answers.
 */
const variantId = z.string().optional();

/** A validated postal address (@microshop/addresses' PostalAddress). */
const postalAddress = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string().nullable(),
  city: z.string(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().length(2),
  phone: z.string().nullable(),
});
const orderStatus = z.enum([
  'PENDING',
  'CONFIRMED',
  'PAYMENT_FAILED',
  'CANCELLED',
  'SHIPPED',
  'DELIVERED',
]);
/** Who caused a step of an order, as its timeline shows it. */
const actor = z.enum(['CUSTOMER', 'ADMIN', 'SYSTEM']);

/**
 * The event catalog: type name -> payload schema (version 1). Producers build events with
 * `createEvent`, consumers read them with `parseEvent`; both go through these schemas.
 */
export const eventPayloads = {
  // orders
  OrderPlaced: z.object({
    orderId: z.string(),
    userId: z.string(),
    items: z
      .array(
        z.object({
          productId: z.string(),
          variantId,
          quantity: z.number().int().positive(),
          unitPrice: money,
          productName: z.string(),
        }),
      )
      .min(1),
    /** What payments authorizes: subtotal - discount + shipping (+ tax when not included). */
    total: money,
    paymentToken: z.string(),
    /**
     * The checkout's addresses, for the buyer's address book (users). Absent from orders placed
     * without one, and from events written before checkout had addresses.
     */
    shippingAddress: postalAddress.nullish(),
    billingAddress: postalAddress.nullish(),
  }),
  OrderStatusChanged: z.object({
    orderId: z.string(),
    userId: z.string(),
    from: orderStatus.nullable(),
    to: orderStatus,
    reason: z.string().nullable(),
  }),
  /** An ADMIN approved a customer's return: payments refunds `amount` (capped at what is left). */
  ReturnApproved: z.object({
    orderId: z.string(),
    returnRequestId: z.string(),
    amount: money,
    approvedBy: z.string(),
  }),
  // catalog
  StockReserved: z.object({
    orderId: z.string(),
    items: z.array(
      z.object({ productId: z.string(), variantId, quantity: z.number().int().positive() }),
    ),
  }),
  StockRejected: z.object({
    orderId: z.string(),
    unavailable: z.array(
      z.object({
        productId: z.string(),
        variantId,
        requested: z.number().int(),
        available: z.number().int(),
      }),
    ),
    reason: z.string(),
  }),
  ProductChanged: z.object({ productId: z.string() }),
  // payments
  PaymentAuthorized: z.object({ orderId: z.string(), paymentId: z.string(), amount: money }),
  PaymentDeclined: z.object({ orderId: z.string(), paymentId: z.string(), reason: z.string() }),
  PaymentRefunded: z.object({ orderId: z.string(), paymentId: z.string(), amount: money }),
  PaymentCaptured: z.object({ orderId: z.string(), paymentId: z.string(), amount: money }),
  /** Captured money given back (partly or wholly), by an ADMIN or for an approved return. */
  RefundIssued: z.object({
    orderId: z.string(),
    paymentId: z.string(),
    refundId: z.string(),
    amount: money,
    /** Every refund of the payment so far, this one included. */
    refundedTotal: money,
    fullyRefunded: z.boolean(),
    reason: z.string(),
    returnRequestId: z.string().nullable(),
    actor,
  }),
  // users
  /**
   * A single-use token to mail to an account. The token itself rides along (the mail must carry
   * it; the users table keeps only its hash), so this event is short-lived by the token's expiry.
   */
  AccountEmailRequested: z.object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    purpose: z.enum(['PASSWORD_RESET', 'EMAIL_VERIFICATION']),
    token: z.string(),
    expiresAt: z.iso.datetime(),
  }),
} as const;

/** The variant a line of an event is of (see `variantId` above): its own, or its product's single one. */
export function variantOf(line: { productId: string; variantId?: string | undefined }): string {
  return line.variantId ?? line.productId;
}

export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: Envelope<K, EventPayload<K>>;
}[T];

/** The topics (before the namespace prefix): one per owning domain. */
export const topics = ['orders', 'catalog', 'payments', 'users'] as const;
export type Topic = (typeof topics)[number];

/** Which topic (before the namespace prefix) each event type is published to: one per owning domain. */
export const topicOf: Record<EventType, Topic> = {
  OrderPlaced: 'orders',
  OrderStatusChanged: 'orders',
  ReturnApproved: 'orders',
  StockReserved: 'catalog',
  StockRejected: 'catalog',
  ProductChanged: 'catalog',
  PaymentAuthorized: 'payments',
  PaymentDeclined: 'payments',
  PaymentRefunded: 'payments',
  PaymentCaptured: 'payments',
  RefundIssued: 'payments',
  AccountEmailRequested: 'users',
};

export function createEvent<T extends EventType>(
  type: T,
  aggregateId: string,
  payload: EventPayload<T>,
  requestId?: string,
): DomainEvent<T> {
  return {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId,
    ...(requestId ? { requestId } : {}),
    payload: eventPayloads[type].parse(payload),
  } as DomainEvent<T>;
}

export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** Validates an incoming envelope and its payload; unknown types and versions are refused. */
export function parseEvent(raw: unknown): DomainEvent {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw new InvalidEventError(`invalid envelope: ${envelope.error.message}`);
  const schema = eventPayloads[envelope.data.type as EventType];
  if (!schema) throw new InvalidEventError(`unknown event type ${envelope.data.type}`);
  if (envelope.data.version !== 1) {
    throw new InvalidEventError(
      `unsupported version ${envelope.data.version} of ${envelope.data.type}`,
    );
  }
  const payload = schema.safeParse(envelope.data.payload);
  if (!payload.success) {
    throw new InvalidEventError(`invalid ${envelope.data.type} payload: ${payload.error.message}`);
  }
  return { ...envelope.data, payload: payload.data } as DomainEvent;
}

/** The event a bus holds: JSON text (Kafka) or an already parsed value (Postgres); throws when invalid. */
export function eventFrom(raw: unknown): DomainEvent {
  return parseEvent(typeof raw === 'string' ? JSON.parse(raw) : raw);
}

/** The event, or undefined when `raw` is not a valid envelope (a dead letter's, for instance). */
export function validEvent(raw: unknown): DomainEvent | undefined {
  try {
    return eventFrom(raw);
  } catch (error) {
    if (error instanceof InvalidEventError || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

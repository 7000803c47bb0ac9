import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApproveReturnDocument,
  DeliverOrderDocument,
  OrderTimelineDocument,
  RefundOrderDocument,
  RequestReturnDocument,
  ReturnRequestsDocument,
  ShipOrderDocument,
  createClient,
  type Client,
  type OrderTimelineQuery,
} from '@microshop/client';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';
import { addToCart, createProduct, placeOrder, signUpUser, waitFor } from '@microshop/testing';

/**
 * After the order, through the gateway with the typed client, every service running: an order of
 * 3 units at 10.00 is confirmed, refunds of money not captured and returns of an undelivered order
 * are refused; it ships (payments captures 30.00) and is delivered; an ADMIN refunds part of it,
 * the same refund twice at once, too much (refused); the customer returns one unit, the ADMIN
 * approves and payments refunds it; the rest is refunded; the timeline shows every step.
 */

let stack: Stack;
let adminToken: string;
let admin: Client;
let customer: Client;
let stranger: Client;
let orderId: string;

type OrderView = NonNullable<OrderTimelineQuery['order']>;

const readOrder = async (): Promise<OrderView> =>
  (await customer.request(OrderTimelineDocument, { id: orderId })).order!;

/** Waits until the order (as its owner reads it) is what `done` wants. */
const orderWhen = (what: string, done: (order: OrderView) => boolean): Promise<OrderView> =>
  waitFor(
    what,
    async () => {
      const order = await readOrder();
      return done(order) ? order : undefined;
    },
    // Generous: the whole stack shares two cores with everything else running on this machine.
    120_000,
  );

const refund = (amount: number | null, idempotencyKey: string = randomUUID(), as = admin) =>
  as.execute(RefundOrderDocument, {
    input: { orderId, amount, reason: 'arrived scratched', idempotencyKey },
  });

async function byAdmin(mutation: 'shipOrder' | 'deliverOrder'): Promise<void> {
  const moved =
    mutation === 'shipOrder'
      ? (await admin.request(ShipOrderDocument, { id: orderId })).shipOrder
      : (await admin.request(DeliverOrderDocument, { id: orderId })).deliverOrder;
  expect(moved.userErrors).toEqual([]);
  expect(moved.order?.status).toBe(mutation === 'shipOrder' ? 'SHIPPED' : 'DELIVERED');
}

beforeAll(async () => {
  stack = await startStack();
  adminToken = (await signInAdmin(stack)).accessToken;
  admin = createClient({ url: stack.gatewayUrl, token: adminToken });
  const buyer = await signUpUser(stack, 'Returning Customer');
  customer = createClient({ url: stack.gatewayUrl, token: buyer.accessToken });
  stranger = createClient({ url: stack.gatewayUrl, token: (await signUpUser(stack)).accessToken });
  const productId = await createProduct(stack, adminToken, {
    name: 'Returnable kettle',
    priceAmount: 1_000,
    initialStock: 5,
  });
  await addToCart(stack, buyer.accessToken, productId, 3);
  orderId = await placeOrder(stack, buyer.accessToken, { attempts: 3 });
  await orderWhen('the order to be confirmed', (order) => order.status === 'CONFIRMED');
});

afterAll(async () => {
  await stack?.close();
});

describe('after the order, through the gateway', () => {
  it('refuses a return before delivery and a refund before capture, changing nothing', async () => {
    const early = await customer.request(RequestReturnDocument, {
      input: { orderId, lines: [{ position: 1, quantity: 1 }], reason: 'Changed my mind' },
    });
    expect(early.requestReturn.returnRequest).toBeNull();
    expect(early.requestReturn.userErrors.map((error) => error.errorCode)).toEqual([
      'ORDER_NOT_DELIVERED',
    ]);
    const uncaptured = await refund(1_000);
    expect(uncaptured.data?.refundOrder.userErrors.map((error) => error.errorCode)).toEqual([
      'NOTHING_CAPTURED',
    ]);
    const order = await readOrder();
    expect(order.returns).toEqual([]);
    expect(order.payment).toMatchObject({
      status: 'AUTHORIZED',
      capturedAmount: { amount: 0 },
      refunds: [],
    });
  });

  it('captures the payment when the order ships', async () => {
    await byAdmin('shipOrder');
    const shipped = await orderWhen(
      'the payment to be captured',
      (order) => order.payment?.status === 'CAPTURED',
    );
    expect(shipped.payment?.capturedAmount).toEqual({ amount: 3_000, currency: 'EUR' });
    await byAdmin('deliverOrder');
  });

  it('refuses refunds to anyone but an ADMIN', async () => {
    const asCustomer = await refund(100, randomUUID(), customer);
    expect(asCustomer.data?.refundOrder ?? null).toBeNull();
    expect(asCustomer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('refunds part, then the same refund sent twice at once only once', async () => {
    const partial = await admin.request(RefundOrderDocument, {
      input: { orderId, amount: 1_000, reason: 'arrived scratched', idempotencyKey: 'scratch-1' },
    });
    expect(partial.refundOrder.userErrors).toEqual([]);
    expect(partial.refundOrder.payment).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refundedAmount: { amount: 1_000 },
    });

    const [first, second] = await Promise.all([refund(500, 'late-1'), refund(500, 'late-1')]);
    expect(first.data?.refundOrder.refund?.id).toBeDefined();
    expect(second.data?.refundOrder.refund?.id).toBe(first.data?.refundOrder.refund?.id);
    const order = await readOrder();
    expect(order.payment?.refunds.map((row) => row.amount.amount)).toEqual([1_000, 500]);
    expect(order.payment?.refundedAmount.amount).toBe(1_500);
  });

  it('refuses a refund above what is left of the capture with a typed userError', async () => {
    const above = await refund(1_501);
    expect(above.data?.refundOrder.refund).toBeNull();
    expect(above.data?.refundOrder.userErrors).toEqual([
      expect.objectContaining({
        errorCode: 'REFUND_EXCEEDS_CAPTURED',
        field: ['input', 'amount'],
      }),
    ]);
    const order = await readOrder();
    expect(order.payment?.refundedAmount.amount).toBe(1_500);
    expect(order.payment?.refunds).toHaveLength(2);
  });

  it('lets the customer return a unit of the delivered order, and an ADMIN approve it: refunded', async () => {
    const requested = await customer.request(RequestReturnDocument, {
      input: { orderId, lines: [{ position: 1, quantity: 1 }], reason: 'Too loud' },
    });
    expect(requested.requestReturn.userErrors).toEqual([]);
    const returnRequest = requested.requestReturn.returnRequest!;
    expect(returnRequest).toMatchObject({
      status: 'REQUESTED',
      refundAmount: { amount: 1_000, currency: 'EUR' },
      lines: [{ quantity: 1, item: { position: 1, productName: 'Returnable kettle' } }],
    });

    const notAdmin = await customer.execute(ApproveReturnDocument, {
      input: { returnRequestId: returnRequest.id },
    });
    expect(notAdmin.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

    const queue = await admin.request(ReturnRequestsDocument, { status: 'REQUESTED' });
    expect(queue.returnRequests.edges.map((edge) => edge.node.id)).toEqual([returnRequest.id]);

    const approved = await admin.request(ApproveReturnDocument, {
      input: { returnRequestId: queue.returnRequests.edges[0]!.node.id },
    });
    expect(approved.approveReturn.returnRequest?.status).toBe('APPROVED');
    const refunded = await orderWhen(
      'the return to be refunded',
      (order) => order.returns[0]?.status === 'REFUNDED',
    );
    expect(refunded.payment?.refunds.at(-1)).toMatchObject({
      amount: { amount: 1_000 },
      returnRequestId: returnRequest.id,
    });
    expect(refunded.payment?.refundedAmount.amount).toBe(2_500);
  });

  it('refunds the rest: the payment is REFUNDED', async () => {
    const rest = await admin.request(RefundOrderDocument, {
      input: { orderId, reason: 'goodwill', idempotencyKey: 'rest-1' },
    });
    expect(rest.refundOrder.refund?.amount.amount).toBe(500);
    expect(rest.refundOrder.payment).toMatchObject({
      status: 'REFUNDED',
      capturedAmount: { amount: 3_000 },
      refundedAmount: { amount: 3_000 },
    });
  });

  it('shows every step with its actor, in order, to the owner and ADMIN only', async () => {
    const order = await orderWhen(
      'the last refund in the timeline',
      (view) => view.timeline.filter((entry) => entry.kind === 'REFUND_ISSUED').length === 4,
    );
    expect(
      order.timeline.map((entry) => [
        entry.kind,
        entry.actor,
        entry.status ?? entry.amount?.amount,
      ]),
    ).toEqual([
      ['STATUS_CHANGED', 'CUSTOMER', 'PENDING'],
      ['PAYMENT_AUTHORIZED', 'SYSTEM', 3_000],
      ['STATUS_CHANGED', 'SYSTEM', 'CONFIRMED'],
      ['STATUS_CHANGED', 'ADMIN', 'SHIPPED'],
      ['PAYMENT_CAPTURED', 'SYSTEM', 3_000],
      ['STATUS_CHANGED', 'ADMIN', 'DELIVERED'],
      ['REFUND_ISSUED', 'ADMIN', 1_000],
      ['REFUND_ISSUED', 'ADMIN', 500],
      ['RETURN_REQUESTED', 'CUSTOMER', 1_000],
      ['RETURN_APPROVED', 'ADMIN', 1_000],
      ['REFUND_ISSUED', 'SYSTEM', 1_000],
      ['REFUND_ISSUED', 'ADMIN', 500],
    ]);
    const times = order.timeline.map((entry) => Date.parse(entry.at as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const asAdmin = await admin.request(OrderTimelineDocument, { id: orderId });
    expect(asAdmin.order?.timeline).toEqual(order.timeline);
    const asStranger = await stranger.execute(OrderTimelineDocument, { id: orderId });
    expect(asStranger.data?.order ?? null).toBeNull();
    expect(asStranger.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority, type Principal, type TestAuthority } from '@microshop/auth';
import { loadConfig } from '@microshop/config';
import { createLogger, startSubgraphServer, type RunningServer } from '@microshop/runtime';
import {
  createTestDatabase,
  errorCodes,
  graphql,
  startJsonServer,
  type RunningHttp,
  type TestDatabase,
} from '@microshop/testing';
import { createOrdersApp } from '../src/app.ts';
import { DiscountRepository } from '../src/discount.repository.ts';
import { OrderRepository } from '../src/order.repository.ts';
import { OrderTransitions } from '../src/order-transitions.ts';
import { createShopUpstream } from '../src/upstream.ts';

const ORDER_FIELDS = /* GraphQL */ `
  id
  status
  total { amount currency }
  items {
    product { id } productName variant { id } variantSku variantTitle selectedOptions { name value }
    unitPrice { amount currency } quantity lineTotal { amount currency }
  }
  statusHistory { status reason at }
  user { id }
  createdAt
`;
const PLACE_ORDER = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { ${ORDER_FIELDS} } userErrors { code message field } }
}`;
const ORDER = `query One($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelOrder(id: $id) { order { id status } userErrors { code message } } }`;
const SHIP = `mutation Ship($id: ID!) { shipOrder(id: $id) { order { id status } userErrors { code message } } }`;
const DELIVER = `mutation Deliver($id: ID!) { deliverOrder(id: $id) { order { id status } userErrors { code message } } }`;
const USER_ORDERS = `query Orders($reps: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $reps) {
    ... on User { orders(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
    } }
  }
}`;

interface OrderView {
  id: string;
  status: string;
  total: { amount: number; currency: string };
  items: {
    product: { id: string };
    productName: string;
    quantity: number;
    lineTotal: { amount: number };
  }[];
  statusHistory: { status: string; reason: string | null }[];
  user: { id: string };
}
interface PlacePayload {
  placeOrder: { order: OrderView | null; userErrors: { code: string }[] };
}

const NO_USERS_URL = 'http://127.0.0.1:9/graphql';
/** Variants as the catalog answers for them (each of its own product). */
function variant(name: string, amount: number, options: Array<{ name: string; value: string }>) {
  return {
    id: randomUUID(),
    sku: `${name.toUpperCase()}-1`,
    title: options.map((option) => option.value).join(' / ') || 'Default',
    selectedOptions: options,
    price: { amount, currency: 'EUR' },
    product: { id: randomUUID(), name },
  };
}
const MUG = variant('Mug', 1250, [{ name: 'Colour', value: 'Blue' }]);
const TEA = variant('Tea', 499, []);

let db: TestDatabase;
let authority: TestAuthority;
let server: RunningServer;
let cart: RunningHttp;
let catalog: RunningHttp;
let catalogCalls = 0;
const carts = new Map<string, { variantId: string; quantity: number }[]>();
const alice: Principal = { userId: randomUUID(), role: 'CUSTOMER' };
const bob: Principal = { userId: randomUUID(), role: 'CUSTOMER' };
const admin: Principal = { userId: randomUUID(), role: 'ADMIN' };
const tokens = new Map<Principal, string>();

function token(principal: Principal): string {
  return tokens.get(principal)!;
}

async function place(principal: Principal, idempotencyKey: string, paymentToken = 'tok_visa') {
  const result = await graphql<PlacePayload>(
    server.url,
    PLACE_ORDER,
    { input: { idempotencyKey, paymentToken } },
    token(principal),
  );
  expect(result.errors).toBeUndefined();
  return result.data!.placeOrder;
}

async function placeFor(principal: Principal): Promise<OrderView> {
  carts.set(principal.userId, [{ variantId: MUG.id, quantity: 1 }]);
  const { order } = await place(principal, randomUUID());
  return order!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  authority = await createTestAuthority();
  for (const principal of [alice, bob, admin])
    tokens.set(principal, await authority.tokenFor(principal));

  // The cart answers with the cart of the user its caller's token names (or refuses without one).
  cart = await startJsonServer((_body, req) => {
    const header = req.headers.authorization ?? '';
    const caller = [...tokens].find(([, value]) => header === `Bearer ${value}`)?.[0];
    if (!caller)
      return {
        errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }],
      };
    const items = carts.get(caller.userId) ?? [];
    return {
      data: {
        cart: {
          items: items.map((item) => ({
            product: { id: [MUG, TEA].find((known) => known.id === item.variantId)?.product.id },
            variant: { id: item.variantId },
            quantity: item.quantity,
          })),
        },
      },
    };
  });
  catalog = await startJsonServer((body) => {
    catalogCalls += 1;
    const representations = (body?.variables?.representations ?? []) as { id: string }[];
    const known = [MUG, TEA];
    return {
      data: { _entities: representations.map((rep) => known.find((p) => p.id === rep.id) ?? null) },
    };
  });

  server = await startSubgraphServer(
    createOrdersApp({
      db: db.prisma,
      verifier: authority.verifier,
      logger: createLogger('orders-test', { logLevel: 'silent' }),
      // No order here names an address-book id, so the users subgraph is never called.
      upstream: createShopUpstream({ cart: cart.url, catalog: catalog.url, users: NO_USERS_URL }),
      checkout: loadConfig({}).checkout,
      showInternalErrors: true,
    }),
    { port: 0, host: '127.0.0.1' },
  );
});

afterAll(async () => {
  await server?.close();
  await cart?.close();
  await catalog?.close();
  await db?.drop();
});

describe('placeOrder', () => {
  it('snapshots the cart at catalog prices in one catalog call, PENDING with an OrderPlaced event', async () => {
    carts.set(alice.userId, [
      { variantId: MUG.id, quantity: 2 },
      { variantId: TEA.id, quantity: 1 },
    ]);
    const callsBefore = catalogCalls;
    const { order, userErrors } = await place(alice, 'checkout-1', 'tok_visa');
    expect(userErrors).toEqual([]);
    expect(catalogCalls - callsBefore).toBe(1);
    expect(order).toMatchObject({
      status: 'PENDING',
      total: { amount: 2 * 1250 + 499, currency: 'EUR' },
      user: { id: alice.userId },
      statusHistory: [{ status: 'PENDING', reason: null }],
      items: [
        {
          product: { id: MUG.product.id },
          productName: 'Mug',
          variant: { id: MUG.id },
          variantSku: 'MUG-1',
          variantTitle: 'Blue',
          selectedOptions: [{ name: 'Colour', value: 'Blue' }],
          quantity: 2,
          lineTotal: { amount: 2500 },
        },
        {
          product: { id: TEA.product.id },
          productName: 'Tea',
          variant: { id: TEA.id },
          variantSku: 'TEA-1',
          variantTitle: 'Default',
          selectedOptions: [],
          quantity: 1,
          lineTotal: { amount: 499 },
        },
      ],
    });

    const outbox = await db.prisma.outboxEvent.findMany({ where: { aggregateId: order!.id } });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ source: 'orders', topic: 'orders', type: 'OrderPlaced' });
    expect((outbox[0]!.envelope as { payload: unknown }).payload).toMatchObject({
      orderId: order!.id,
      userId: alice.userId,
      paymentToken: 'tok_visa',
      total: { amount: 2999, currency: 'EUR' },
      items: [
        {
          productId: MUG.product.id,
          variantId: MUG.id,
          quantity: 2,
          productName: 'Mug',
          unitPrice: { amount: 1250, currency: 'EUR' },
        },
        {
          productId: TEA.product.id,
          variantId: TEA.id,
          quantity: 1,
          productName: 'Tea',
          unitPrice: { amount: 499, currency: 'EUR' },
        },
      ],
    });
  });

  it('answers EMPTY_CART for an empty cart and writes nothing', async () => {
    carts.set(bob.userId, []);
    const { order, userErrors } = await place(bob, 'empty-1');
    expect(order).toBeNull();
    expect(userErrors.map((error) => error.code)).toEqual(['EMPTY_CART']);
    expect(await db.prisma.order.count({ where: { userId: bob.userId } })).toBe(0);
  });

  it('answers PRODUCT_UNAVAILABLE when the catalog no longer sells a line', async () => {
    carts.set(bob.userId, [{ variantId: randomUUID(), quantity: 1 }]);
    const { order, userErrors } = await place(bob, 'gone-1');
    expect(order).toBeNull();
    expect(userErrors.map((error) => error.code)).toEqual(['PRODUCT_UNAVAILABLE']);
  });

  it('returns one order for 5 concurrent calls with the same key', async () => {
    const shopper: Principal = { userId: randomUUID(), role: 'CUSTOMER' };
    tokens.set(shopper, await authority.tokenFor(shopper));
    carts.set(shopper.userId, [{ variantId: TEA.id, quantity: 3 }]);
    const results = await Promise.all(Array.from({ length: 5 }, () => place(shopper, 'same-key')));
    const ids = new Set(results.map((result) => result.order?.id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBeTruthy();
    expect(await db.prisma.order.count({ where: { userId: shopper.userId } })).toBe(1);
    const order = await db.prisma.order.findFirstOrThrow({ where: { userId: shopper.userId } });
    expect(await db.prisma.outboxEvent.count({ where: { aggregateId: order.id } })).toBe(1);

    // A later retry returns it too, even though the cart changed (or was emptied) meanwhile.
    carts.set(shopper.userId, []);
    expect((await place(shopper, 'same-key')).order?.id).toBe(order.id);
    // The key is per customer: someone else's same key is a different checkout.
    carts.set(bob.userId, [{ variantId: MUG.id, quantity: 1 }]);
    expect((await place(bob, 'same-key')).order?.id).not.toBe(order.id);
  });

  it('requires a signed-in caller', async () => {
    const result = await graphql(server.url, PLACE_ORDER, {
      input: { idempotencyKey: 'k', paymentToken: 'tok_visa' },
    });
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('reading orders', () => {
  it('lets the owner and an ADMIN read an order; anyone else gets FORBIDDEN, also for ids that do not exist', async () => {
    const order = await placeFor(alice);
    const asOwner = await graphql<{ order: OrderView }>(
      server.url,
      ORDER,
      { id: order.id },
      token(alice),
    );
    expect(asOwner.data?.order.id).toBe(order.id);
    const asAdmin = await graphql<{ order: OrderView }>(
      server.url,
      ORDER,
      { id: order.id },
      token(admin),
    );
    expect(asAdmin.data?.order.id).toBe(order.id);

    const asOther = await graphql(server.url, ORDER, { id: order.id }, token(bob));
    const missing = await graphql(server.url, ORDER, { id: randomUUID() }, token(bob));
    const garbage = await graphql(server.url, ORDER, { id: 'not-an-id' }, token(bob));
    for (const result of [asOther, missing, garbage]) {
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toBe(asOther.errors?.[0]?.message);
      expect(result.data?.order ?? null).toBeNull();
    }
    expect(errorCodes(await graphql(server.url, ORDER, { id: order.id }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('resolves Order references for the owner only', async () => {
    const order = await placeFor(alice);
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id status } } }`;
    const reps = [{ __typename: 'Order', id: order.id }];
    const asOwner = await graphql<{ _entities: { id: string }[] }>(
      server.url,
      query,
      { reps },
      token(alice),
    );
    expect(asOwner.data?._entities[0]?.id).toBe(order.id);
    expect(errorCodes(await graphql(server.url, query, { reps }, token(bob)))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it("lists a user's orders newest first with opaque cursors, to that user and ADMINs only", async () => {
    const shopper: Principal = { userId: randomUUID(), role: 'CUSTOMER' };
    tokens.set(shopper, await authority.tokenFor(shopper));
    const placed: string[] = [];
    for (let index = 0; index < 3; index += 1) placed.push((await placeFor(shopper)).id);
    const reps = [{ __typename: 'User', id: shopper.userId }];
    type Page = {
      _entities: {
        orders: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: { cursor: string; node: { id: string } }[];
        };
      }[];
    };
    const first = await graphql<Page>(server.url, USER_ORDERS, { reps, first: 2 }, token(shopper));
    const page1 = first.data!._entities[0]!.orders;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((edge) => edge.node.id)).toEqual([placed[2], placed[1]]);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[1]!.cursor });

    const second = await graphql<Page>(
      server.url,
      USER_ORDERS,
      { reps, first: 2, after: page1.pageInfo.endCursor },
      token(shopper),
    );
    const page2 = second.data!._entities[0]!.orders;
    expect(page2.edges.map((edge) => edge.node.id)).toEqual([placed[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const asAdmin = await graphql<Page>(server.url, USER_ORDERS, { reps, first: 10 }, token(admin));
    expect(asAdmin.data!._entities[0]!.orders.totalCount).toBe(3);
    expect(errorCodes(await graphql(server.url, USER_ORDERS, { reps }, token(bob)))).toEqual([
      'FORBIDDEN',
    ]);
    const badCursor = await graphql(
      server.url,
      USER_ORDERS,
      { reps, after: 'nope' },
      token(shopper),
    );
    expect(errorCodes(badCursor)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('status changes on request', () => {
  it('lets the owner cancel a PENDING order once, with an OrderStatusChanged event', async () => {
    const order = await placeFor(alice);
    const cancelled = await graphql<{
      cancelOrder: { order: { status: string }; userErrors: unknown[] };
    }>(server.url, CANCEL, { id: order.id }, token(alice));
    expect(cancelled.data?.cancelOrder).toEqual({
      order: { id: order.id, status: 'CANCELLED' },
      userErrors: [],
    });
    const events = await db.prisma.outboxEvent.findMany({
      where: { aggregateId: order.id, type: 'OrderStatusChanged' },
    });
    expect(events.map((event) => (event.envelope as { payload: unknown }).payload)).toEqual([
      {
        orderId: order.id,
        userId: alice.userId,
        from: 'PENDING',
        to: 'CANCELLED',
        reason: 'cancelled by the customer',
      },
    ]);

    const again = await graphql<{ cancelOrder: { userErrors: { code: string }[] } }>(
      server.url,
      CANCEL,
      { id: order.id },
      token(alice),
    );
    expect(again.data?.cancelOrder.userErrors.map((error) => error.code)).toEqual([
      'INVALID_TRANSITION',
    ]);
    const history = await db.prisma.orderStatusChange.findMany({ where: { orderId: order.id } });
    expect(history.map((row) => row.status)).toEqual(['PENDING', 'CANCELLED']);
  });

  it("refuses another customer's cancel with FORBIDDEN, the same as for an unknown id", async () => {
    const order = await placeFor(alice);
    for (const id of [order.id, randomUUID()]) {
      expect(errorCodes(await graphql(server.url, CANCEL, { id }, token(bob)))).toEqual([
        'FORBIDDEN',
      ]);
    }
    const stored = await db.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(stored.status).toBe('PENDING');
  });

  it('ships and delivers as ADMIN only, and refuses illegal moves with INVALID_TRANSITION', async () => {
    const order = await placeFor(alice);
    const codesOf = (result: {
      data?: Record<string, { userErrors: { code: string }[] }> | null;
    }) => Object.values(result.data ?? {})[0]?.userErrors.map((error) => error.code);

    expect(errorCodes(await graphql(server.url, SHIP, { id: order.id }, token(alice)))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codesOf(await graphql(server.url, SHIP, { id: order.id }, token(admin)))).toEqual([
      'INVALID_TRANSITION',
    ]);

    const transitions = new OrderTransitions(
      new OrderRepository(db.prisma),
      new DiscountRepository(db.prisma),
    );
    await db.prisma.$transaction((tx) =>
      transitions.transition(tx, order.id, 'CONFIRMED', null, undefined),
    );

    expect(codesOf(await graphql(server.url, DELIVER, { id: order.id }, token(admin)))).toEqual([
      'INVALID_TRANSITION',
    ]);
    expect(codesOf(await graphql(server.url, SHIP, { id: order.id }, token(admin)))).toEqual([]);
    expect(errorCodes(await graphql(server.url, DELIVER, { id: order.id }, token(alice)))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codesOf(await graphql(server.url, CANCEL, { id: order.id }, token(alice)))).toEqual([
      'INVALID_TRANSITION',
    ]);
    expect(codesOf(await graphql(server.url, DELIVER, { id: order.id }, token(admin)))).toEqual([]);

    // DELIVERED is final: nothing moves it, not even back to PENDING.
    const refused = await db.prisma.$transaction((tx) =>
      transitions.transition(tx, order.id, 'PENDING', null, undefined),
    );
    expect(refused.kind).toBe('refused');
    expect(codesOf(await graphql(server.url, CANCEL, { id: order.id }, token(admin)))).toEqual([
      'INVALID_TRANSITION',
    ]);

    const view = await graphql<{ order: OrderView }>(
      server.url,
      ORDER,
      { id: order.id },
      token(alice),
    );
    expect(view.data?.order.statusHistory.map((change) => change.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'SHIPPED',
      'DELIVERED',
    ]);
    expect(view.data?.order.status).toBe('DELIVERED');
  });

  it('lets an ADMIN cancel a CONFIRMED order of any customer', async () => {
    const order = await placeFor(bob);
    const transitions = new OrderTransitions(
      new OrderRepository(db.prisma),
      new DiscountRepository(db.prisma),
    );
    await db.prisma.$transaction((tx) =>
      transitions.transition(tx, order.id, 'CONFIRMED', null, undefined),
    );
    const result = await graphql<{ cancelOrder: { order: { status: string } } }>(
      server.url,
      CANCEL,
      { id: order.id },
      token(admin),
    );
    expect(result.data?.cancelOrder.order.status).toBe('CANCELLED');
  });
});

describe('returns and the timeline', () => {
  const RETURN_FIELDS = `returnRequest {
    id status reason refundAmount { amount currency } rejectionReason decidedAt
    lines { item { position productName } quantity } order { id }
  }
  userErrors { code field }`;
  const REQUEST_RETURN = `mutation Request($input: RequestReturnInput!) { requestReturn(input: $input) { ${RETURN_FIELDS} } }`;
  const APPROVE_RETURN = `mutation Approve($input: ApproveReturnInput!) { approveReturn(input: $input) { ${RETURN_FIELDS} } }`;
  const REJECT_RETURN = `mutation Reject($input: RejectReturnInput!) { rejectReturn(input: $input) { ${RETURN_FIELDS} } }`;
  const TIMELINE = `query Timeline($id: ID!) { order(id: $id) {
    timeline { kind actor status amount { amount } note returnRequestId }
    returns { id status }
  } }`;
  interface ReturnPayload {
    returnRequest: {
      id: string;
      status: string;
      refundAmount: { amount: number; currency: string };
      rejectionReason: string | null;
      lines: { item: { position: number; productName: string }; quantity: number }[];
      order: { id: string };
    } | null;
    userErrors: { code: string; field: string[] }[];
  }
  type Lines = { position: number; quantity: number }[];

  /** A DELIVERED order of 2 mugs (line 1) and 1 tea (line 2), shipped and delivered by an ADMIN. */
  async function deliveredOrder(principal: Principal): Promise<string> {
    carts.set(principal.userId, [
      { variantId: MUG.id, quantity: 2 },
      { variantId: TEA.id, quantity: 1 },
    ]);
    const { order } = await place(principal, randomUUID());
    const transitions = new OrderTransitions(
      new OrderRepository(db.prisma),
      new DiscountRepository(db.prisma),
    );
    await db.prisma.$transaction((tx) =>
      transitions.transition(tx, order!.id, 'CONFIRMED', null, undefined),
    );
    for (const step of [SHIP, DELIVER]) {
      expect(
        (await graphql(server.url, step, { id: order!.id }, token(admin))).errors,
      ).toBeUndefined();
    }
    return order!.id;
  }

  async function requestReturn(principal: Principal, orderId: string, lines: Lines) {
    const result = await graphql<{ requestReturn: ReturnPayload }>(
      server.url,
      REQUEST_RETURN,
      { input: { orderId, lines, reason: 'Too small' } },
      token(principal),
    );
    return result.data!.requestReturn;
  }

  const codes = (payload: ReturnPayload) => payload.userErrors.map((error) => error.code);

  it('lets the owner return part of a DELIVERED order, at the price paid', async () => {
    const orderId = await deliveredOrder(alice);
    const requested = await requestReturn(alice, orderId, [
      { position: 1, quantity: 1 },
      { position: 2, quantity: 1 },
    ]);
    expect(requested.userErrors).toEqual([]);
    expect(requested.returnRequest).toMatchObject({
      status: 'REQUESTED',
      refundAmount: { amount: 1250 + 499, currency: 'EUR' },
      lines: [
        { item: { position: 1, productName: 'Mug' }, quantity: 1 },
        { item: { position: 2, productName: 'Tea' }, quantity: 1 },
      ],
      order: { id: orderId },
    });
    // One mug is left to return; the tea is gone.
    expect(codes(await requestReturn(alice, orderId, [{ position: 2, quantity: 1 }]))).toEqual([
      'RETURN_QUANTITY_EXCEEDED',
    ]);
    expect(codes(await requestReturn(alice, orderId, [{ position: 1, quantity: 1 }]))).toEqual([]);
  });

  it('refuses undelivered orders, other customers, unknown lines and more than was bought, writing nothing', async () => {
    const delivered = await deliveredOrder(alice);
    const pending = await placeFor(alice);
    expect(codes(await requestReturn(alice, pending.id, [{ position: 1, quantity: 1 }]))).toEqual([
      'ORDER_NOT_DELIVERED',
    ]);
    for (const orderId of [delivered, randomUUID(), 'not-an-id']) {
      expect(codes(await requestReturn(bob, orderId, [{ position: 1, quantity: 1 }]))).toEqual([
        'ORDER_NOT_FOUND',
      ]);
    }
    const unknownLine = await requestReturn(alice, delivered, [{ position: 9, quantity: 1 }]);
    expect(unknownLine.userErrors).toEqual([
      { code: 'UNKNOWN_ORDER_LINE', field: ['input', 'lines', '0', 'position'] },
    ]);
    const tooMany = await requestReturn(alice, delivered, [{ position: 1, quantity: 3 }]);
    expect(tooMany.userErrors).toEqual([
      { code: 'RETURN_QUANTITY_EXCEEDED', field: ['input', 'lines', '0', 'quantity'] },
    ]);
    const zero = await graphql(
      server.url,
      REQUEST_RETURN,
      { input: { orderId: delivered, lines: [{ position: 1, quantity: 0 }], reason: 'x' } },
      token(alice),
    );
    expect(errorCodes(zero)).toEqual(['BAD_USER_INPUT']);
    expect(
      await db.prisma.returnRequest.count({ where: { orderId: { in: [delivered, pending.id] } } }),
    ).toBe(0);
  });

  it('lets an ADMIN approve a return once (ReturnApproved for payments) or reject one', async () => {
    const orderId = await deliveredOrder(alice);
    const first = (await requestReturn(alice, orderId, [{ position: 1, quantity: 2 }]))
      .returnRequest!;
    const approve = (principal: Principal, returnRequestId: string) =>
      graphql<{ approveReturn: ReturnPayload }>(
        server.url,
        APPROVE_RETURN,
        { input: { returnRequestId } },
        token(principal),
      );
    expect(errorCodes(await approve(alice, first.id))).toEqual(['FORBIDDEN']);
    const approved = (await approve(admin, first.id)).data!.approveReturn;
    expect(approved.userErrors).toEqual([]);
    expect(approved.returnRequest?.status).toBe('APPROVED');
    expect(codes((await approve(admin, first.id)).data!.approveReturn)).toEqual([
      'RETURN_ALREADY_DECIDED',
    ]);
    expect(codes((await approve(admin, randomUUID())).data!.approveReturn)).toEqual([
      'RETURN_NOT_FOUND',
    ]);
    const events = await db.prisma.outboxEvent.findMany({
      where: { aggregateId: orderId, type: 'ReturnApproved' },
    });
    expect(events.map((event) => (event.envelope as { payload: unknown }).payload)).toEqual([
      {
        orderId,
        returnRequestId: first.id,
        amount: { amount: 2500, currency: 'EUR' },
        approvedBy: admin.userId,
      },
    ]);

    const second = (await requestReturn(alice, orderId, [{ position: 2, quantity: 1 }]))
      .returnRequest!;
    const rejected = await graphql<{ rejectReturn: ReturnPayload }>(
      server.url,
      REJECT_RETURN,
      { input: { returnRequestId: second.id, reason: 'Opened and used' } },
      token(admin),
    );
    expect(rejected.data?.rejectReturn.returnRequest).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Opened and used',
    });
    // A rejected return gives its units back to what may be returned.
    expect(codes(await requestReturn(alice, orderId, [{ position: 2, quantity: 1 }]))).toEqual([]);
  });

  it("lists return requests as the ADMIN's queue: oldest first, by status, page by page", async () => {
    const QUEUE = `query Queue($status: ReturnStatus, $first: Int, $after: String) {
      returnRequests(status: $status, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id status order { id } } }
      }
    }`;
    type Queue = {
      returnRequests: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { id: string; status: string; order: { id: string } } }[];
      };
    };
    const orderId = await deliveredOrder(bob);
    const first = (await requestReturn(bob, orderId, [{ position: 1, quantity: 1 }]))
      .returnRequest!;
    const second = (await requestReturn(bob, orderId, [{ position: 2, quantity: 1 }]))
      .returnRequest!;
    const queue = async (variables: Record<string, unknown>) =>
      (await graphql<Queue>(server.url, QUEUE, variables, token(admin))).data!.returnRequests;

    const requested = await queue({ status: 'REQUESTED', first: 100 });
    const ids = requested.edges.map((edge) => edge.node.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids.indexOf(first.id)).toBeGreaterThanOrEqual(0);
    expect(requested.edges.every((edge) => edge.node.status === 'REQUESTED')).toBe(true);
    expect(requested.totalCount).toBe(requested.edges.length);

    const page1 = await queue({ status: 'REQUESTED', first: 1 });
    const page2 = await queue({ status: 'REQUESTED', first: 1, after: page1.pageInfo.endCursor });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect([page1.edges[0]?.node.id, page2.edges[0]?.node.id]).toEqual(ids.slice(0, 2));

    await graphql(
      server.url,
      REJECT_RETURN,
      { input: { returnRequestId: first.id, reason: 'No' } },
      token(admin),
    );
    const rejected = await queue({ status: 'REJECTED', first: 100 });
    expect(rejected.edges.map((edge) => edge.node.id)).toContain(first.id);
    expect((await queue({ status: 'REQUESTED', first: 100 })).totalCount).toBe(
      requested.totalCount - 1,
    );
    expect(errorCodes(await graphql(server.url, QUEUE, {}, token(bob)))).toEqual(['FORBIDDEN']);
  });

  it('shows the timeline with actors, in order, to the owner and ADMINs only', async () => {
    const orderId = await deliveredOrder(alice);
    const requested = (await requestReturn(alice, orderId, [{ position: 2, quantity: 1 }]))
      .returnRequest!;
    await graphql(
      server.url,
      REJECT_RETURN,
      { input: { returnRequestId: requested.id, reason: 'Opened' } },
      token(admin),
    );
    const asOwner = await graphql<{
      order: { timeline: Record<string, unknown>[]; returns: { id: string; status: string }[] };
    }>(server.url, TIMELINE, { id: orderId }, token(alice));
    expect(asOwner.errors).toBeUndefined();
    expect(asOwner.data?.order.timeline).toEqual([
      {
        kind: 'STATUS_CHANGED',
        actor: 'CUSTOMER',
        status: 'PENDING',
        amount: null,
        note: null,
        returnRequestId: null,
      },
      {
        kind: 'STATUS_CHANGED',
        actor: 'SYSTEM',
        status: 'CONFIRMED',
        amount: null,
        note: null,
        returnRequestId: null,
      },
      {
        kind: 'STATUS_CHANGED',
        actor: 'ADMIN',
        status: 'SHIPPED',
        amount: null,
        note: null,
        returnRequestId: null,
      },
      {
        kind: 'STATUS_CHANGED',
        actor: 'ADMIN',
        status: 'DELIVERED',
        amount: null,
        note: null,
        returnRequestId: null,
      },
      {
        kind: 'RETURN_REQUESTED',
        actor: 'CUSTOMER',
        status: null,
        amount: { amount: 499 },
        note: 'Too small',
        returnRequestId: requested.id,
      },
      {
        kind: 'RETURN_REJECTED',
        actor: 'ADMIN',
        status: null,
        amount: { amount: 499 },
        note: 'Opened',
        returnRequestId: requested.id,
      },
    ]);
    expect(asOwner.data?.order.returns).toEqual([{ id: requested.id, status: 'REJECTED' }]);
    const asAdmin = await graphql<{ order: { timeline: unknown[] } }>(
      server.url,
      TIMELINE,
      { id: orderId },
      token(admin),
    );
    expect(asAdmin.data?.order.timeline).toHaveLength(6);
    expect(errorCodes(await graphql(server.url, TIMELINE, { id: orderId }, token(bob)))).toEqual([
      'FORBIDDEN',
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  createProduct,
  graphql,
  requireBackend,
  signUpUser,
  waitForOrderStatus,
} from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';
import {
  startOtlpReceiver,
  OtlpSpanKind,
  type OtlpReceiver,
  type ReceivedSpan,
} from '@microshop/telemetry/testing';

/**
 * OpenTelemetry tracing across the whole saga, exported to a real OTLP/HTTP receiver: one order
 * placed through the gateway is one trace, from the gateway's request span through the subgraphs'
 * server spans and, across the event bus (Kafka, and the Postgres log), into every consumer down
 * to the orders worker.
 */

/** The span's ancestors inside its trace, nearest first, as far as the received spans go. */
function ancestorsOf(span: ReceivedSpan, trace: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(trace.map((each) => [each.spanId, each]));
  const chain: ReceivedSpan[] = [];
  for (let parent = span.parentSpanId; parent; parent = byId.get(parent)?.parentSpanId) {
    const found = byId.get(parent);
    if (!found) break;
    chain.push(found);
  }
  return chain;
}

const BUSES = [
  { bus: 'kafka', overrides: () => ({ KAFKA_BROKERS: requireBackend('KAFKA_BROKERS') }) },
  { bus: 'postgres-log', overrides: () => ({ KAFKA_BROKERS: '' }) },
] as const;

describe.each(BUSES)('tracing over the $bus event bus', ({ bus, overrides }) => {
  let receiver: OtlpReceiver;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({
      overrides: { ...overrides(), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    });
    expect(stack.config.eventBus.kind).toBe(bus);
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('makes one trace of an order: gateway, subgraphs, event consumers and the orders worker', async () => {
    const admin = await signInAdmin(stack);
    const productId = await createProduct(stack, admin.accessToken, { initialStock: 3 });
    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, productId);

    // Sent here, not with placeOrder(): its operation name is how the spans below are found.
    const placed = await graphql<{ placeOrder: { order: { id: string } | null } }>(
      stack.gatewayUrl,
      `
        mutation PlaceTracedOrder($input: PlaceOrderInput!) {
          placeOrder(input: $input) {
            order {
              id
              items {
                product {
                  name
                }
              }
            }
            userErrors {
              code
            }
          }
        }
      `,
      { input: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa' } },
      customer.accessToken,
    );
    const orderId = placed.data?.placeOrder.order?.id;
    expect(orderId, JSON.stringify(placed)).toBeTruthy();
    await waitForOrderStatus(stack, orderId!, customer.accessToken, 'CONFIRMED');

    // The gateway's request span of that mutation, named by the operation it served.
    const spans = await receiver.waitFor((received) =>
      received.some((span) => span.attributes['graphql.operation.name'] === 'PlaceTracedOrder'),
    );
    const root = spans.find(
      (span) =>
        span.service === 'gateway' &&
        span.kind === OtlpSpanKind.SERVER &&
        span.attributes['graphql.operation.name'] === 'PlaceTracedOrder',
    )!;
    expect(root.name).toBe('POST /graphql');
    expect(root.parentSpanId ?? '').toBe('');
    expect(typeof root.attributes['microshop.request_id']).toBe('string');

    // Consumers run after the request answered, and each service exports in batches of its own:
    // wait until the worker's span is in and its whole chain up to the gateway with it.
    const isWorkerSpan = (span: ReceivedSpan) =>
      span.traceId === root.traceId &&
      span.service === 'orders-worker' &&
      span.kind === OtlpSpanKind.CONSUMER &&
      span.name === 'process PaymentAuthorized';
    const traceOf = (received: ReceivedSpan[]) =>
      received.filter((span) => span.traceId === root.traceId);
    const serverSpan = (trace: ReceivedSpan[], service: string) =>
      trace.find((span) => span.service === service && span.kind === OtlpSpanKind.SERVER);
    await receiver.waitFor((received) => {
      const trace = traceOf(received);
      const worker = trace.find(isWorkerSpan);
      return (
        worker !== undefined &&
        ancestorsOf(worker, trace).at(-1)?.spanId === root.spanId &&
        ['orders', 'cart', 'catalog'].every((service) => serverSpan(trace, service))
      );
    });
    const trace = traceOf(receiver.spans);
    const server = (service: string) => serverSpan(trace, service);

    // The subgraphs' server spans continue the trace the gateway (and orders, for its own calls
    // to cart and catalog) sent them: orders under the gateway's client span for it.
    const orders = server('orders');
    expect(orders, 'orders server span').toBeDefined();
    expect(orders!.attributes['http.response.status_code']).toBe(200);
    const ordersCall = trace.find((span) => span.spanId === orders!.parentSpanId)!;
    expect(ordersCall).toMatchObject({
      service: 'gateway',
      kind: OtlpSpanKind.CLIENT,
      name: 'subgraph orders',
      parentSpanId: root.spanId,
    });
    expect(server('cart'), 'cart server span (Query.cart from orders)').toBeDefined();
    expect(ancestorsOf(server('cart')!, trace)).toContainEqual(orders);
    expect(server('catalog'), 'catalog server span').toBeDefined();

    // Across the event bus: the worker's span descends from the request, each event carrying the
    // span it was written in: through payments (and catalog, when its StockReserved came second).
    const worker = trace.find(isWorkerSpan)!;
    expect(worker.attributes).toMatchObject({
      'messaging.system': bus,
      'messaging.consumer.group.name': `${stack.config.namespace}orders-worker`,
    });
    const chain = ancestorsOf(worker, trace);
    expect(chain.at(-1)).toEqual(root);
    expect(chain).toContainEqual(orders);
    const consumerServices = chain
      .filter((span) => span.kind === OtlpSpanKind.CONSUMER)
      .map((span) => span.service);
    expect(consumerServices).toContain('payments');
    expect(
      trace.some((span) => span.service === 'catalog' && span.name === 'process OrderPlaced'),
    ).toBe(true);
    // Spans whose events were committed succeeded: none is marked failed.
    expect([worker, ...chain].filter((span) => span.statusCode === 2)).toEqual([]);

    // The events themselves carry the trace (the outbox rows as written, Kafka or Postgres log).
    const placedRow = await stack.db.prisma.outboxEvent.findFirst({
      where: { type: 'OrderPlaced', aggregateId: orderId! },
    });
    expect((placedRow?.envelope as { traceparent?: string } | undefined)?.traceparent).toMatch(
      new RegExp(`^00-${root.traceId}-[0-9a-f]{16}-01$`),
    );

    expect(receiver.rejected).toBe(0);
  });
});

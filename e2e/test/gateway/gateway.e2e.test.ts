import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority } from '@microshop/auth';
import { addToCart, createProduct, graphql, placeOrder, signUpUser } from '@microshop/testing';
import { signInAdmin, startStack, type Stack } from '@microshop/e2e';

/** The whole supergraph through the gateway: routing, authentication at the edge, health. */

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('the gateway', () => {
  it('answers { __typename } with a request id', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[\w.:-]+$/);
  });

  it('keeps a sane incoming request id and puts it in every error', async () => {
    const requestId = `test-${randomUUID()}`;
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({
        query: '{ order(id: "00000000-0000-0000-0000-000000000000") { id } }',
      }),
    });
    const body = (await response.json()) as {
      errors: { extensions: { code: string; requestId: string } }[];
    };
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId });
  });

  it('resolves a query that crosses all five subgraphs through entity references', async () => {
    const admin = await signInAdmin(stack);
    const productId = await createProduct(stack, admin.accessToken, {
      name: 'Five-subgraph kettle',
      priceAmount: 2599,
      initialStock: 5,
    });

    const customer = await signUpUser(stack);
    await addToCart(stack, customer.accessToken, productId, 2);
    await placeOrder(stack, customer.accessToken);

    const response = await graphql<{
      me: {
        email: string;
        orders: {
          edges: {
            node: {
              user: { email: string };
              items: { quantity: number; product: { name: string; stock: number } }[];
              payment: { status: string } | null;
            };
          }[];
        };
      };
    }>(
      stack.gatewayUrl,
      `
        {
          me {
            email
            cart {
              totalQuantity
            }
            orders(first: 5) {
              edges {
                node {
                  user {
                    email
                  }
                  items {
                    quantity
                    product {
                      name
                      stock
                    }
                  }
                  payment {
                    status
                  }
                }
              }
            }
          }
        }
      `,
      {},
      customer.accessToken,
    );
    expect(response.errors).toBeUndefined();
    const order = response.data?.me.orders.edges[0]?.node;
    expect(order?.user.email).toBe(customer.email);
    expect(order?.items).toEqual([
      { quantity: 2, product: { name: 'Five-subgraph kettle', stock: expect.any(Number) } },
    ]);
    expect(order).toHaveProperty('payment');
  });

  it('answers a forged token with UNAUTHENTICATED and HTTP 401', async () => {
    const stranger = await createTestAuthority();
    const forged = await stranger.tokenFor({ userId: randomUUID(), role: 'ADMIN' });
    for (const token of [forged, 'not.a.jwt']) {
      const response = await graphql(stack.gatewayUrl, '{ me { id } }', {}, token);
      expect(response.status).toBe(401);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers me with null when no token is sent', async () => {
    const response = await graphql(stack.gatewayUrl, '{ me { id } }');
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: null });
  });

  it('refuses a simple cross-site request (CSRF prevention)', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    // Turned away as a non-JSON body (415) before CSRF prevention would answer 400.
    expect(response.status).toBe(415);
  });

  it('serves health and metrics', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    const live = await fetch(`${origin}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${origin}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { subgraphs: { ready: boolean }[] }).subgraphs).toHaveLength(5);
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    expect(metrics).toMatch(/gateway_http_requests_total\{[^}]*status="200"\} \d+/);
    expect(metrics).toContain('gateway_http_request_duration_seconds_bucket');
  });
});

import { addToCart, graphql, signUpUser, type TestDatabase } from '@microshop/testing';
import type { Db } from '@microshop/db';
import { signInAdmin } from '@microshop/e2e';
import { seedGeneratedCatalog, seededRandom } from '@microshop/catalog';
import type { MixRequest } from './mix-load.ts';

/**
 * The mixed workload of issue 12: many shoppers, every request its own variables and token.
 * 40% product pages (`product(id:)` of one of 250 products), 20% listings (a page of 20 at a
 * random cursor), 20% searches (two random words of the catalog's vocabulary), 20% signed-in
 * carts (`me { cart { items { product } } }` of one of 40 users, each with 1–3 lines). The same
 * with writes: one request in a hundred an admin's price change of a random product instead of a
 * cart, so every cache of catalog reads is invalidated as often as a shop's writes would.
 */

export const MIX_PRODUCTS = 250;
export const MIX_USERS = 40;

/** The benchmark's catalog: generated products (deterministic), indexed by the catalog's first start. */
export async function seedBenchCatalog(db: Db): Promise<void> {
  await seedGeneratedCatalog(db, MIX_PRODUCTS);
}

const PRODUCT_FIELDS = 'id name price { amount currency } stock';

export const MIX_DOCUMENTS = {
  product: `query ProductPage($id: ID!) {
    product(id: $id) { ${PRODUCT_FIELDS} description inStock category { slug name } }
  }`,
  listing: `query Listing($after: String) {
    products(first: 20, after: $after) {
      edges { cursor node { ${PRODUCT_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }`,
  search: `query Search($query: String!) {
    searchProducts(query: $query, first: 10) {
      totalCount
      edges { node { ${PRODUCT_FIELDS} } }
    }
  }`,
  cart: `query Cart {
    me { id name cart { items { quantity product { ${PRODUCT_FIELDS} } } } }
  }`,
  priceChange: `mutation PriceChange($id: ID!, $input: UpdateProductInput!) {
    updateProduct(id: $id, input: $input) { product { id price { amount } } userErrors { code } }
  }`,
  /** The cart subgraph's own share of `cart`, sent to it directly. */
  cartDirect: '{ cart { items { quantity product { id } } } }',
  /** The users subgraph's own share of `cart`, sent to it directly. */
  meDirect: '{ me { id name } }',
} as const;

/** What the workload picks from: products, listing cursors, search words, signed-in users. */
export interface MixFixture {
  productIds: string[];
  cursors: string[];
  words: string[];
  tokens: string[];
  /** An admin's token, for the writes of the mix with writes. */
  adminToken: string;
}

async function data<T>(url: string, query: string, variables = {}, token?: string): Promise<T> {
  const response = await graphql<T>(url, query, variables, token);
  if (response.errors?.length || !response.data)
    throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(response)}`);
  return response.data;
}

/**
 * Reads the catalog through the catalog subgraph (every product id and listing cursor) and signs
 * up the shoppers through the users subgraph, filling each cart through the cart subgraph.
 */
export async function prepareMix(
  subgraphUrls: { users: string; catalog: string; cart: string },
  db: TestDatabase,
): Promise<MixFixture> {
  const productIds: string[] = [];
  const cursors: string[] = [];
  const names: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: {
      products: {
        edges: { cursor: string; node: { id: string; name: string; stock: number } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await data(
      subgraphUrls.catalog,
      'query ($after: String) { products(first: 50, after: $after) { edges { cursor node { id name stock } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    for (const { cursor, node } of page.products.edges) {
      productIds.push(node.id);
      cursors.push(cursor);
      names.push(node.name);
    }
    if (!page.products.pageInfo.hasNextPage) break;
    after = page.products.pageInfo.endCursor;
  }
  if (productIds.length < MIX_PRODUCTS)
    throw new Error(`the catalog has ${productIds.length} products, not ${MIX_PRODUCTS}`);
  const words = [
    ...new Set(names.flatMap((name) => name.toLowerCase().split(/\s+/)).filter(Boolean)),
  ];

  const random = seededRandom(12);
  const tokens: string[] = [];
  for (let user = 0; user < MIX_USERS; user += 1) {
    const { accessToken } = await signUpUser({ gatewayUrl: subgraphUrls.users }, `Shopper ${user}`);
    const lines = 1 + Math.floor(random() * 3);
    for (let line = 0; line < lines; line += 1) {
      await addToCart(
        { gatewayUrl: subgraphUrls.cart },
        accessToken,
        productIds[Math.floor(random() * productIds.length)]!,
      ).catch(() => undefined); // a product out of stock, or picked twice: the cart keeps its other lines
    }
    tokens.push(accessToken);
  }
  const { accessToken: adminToken } = await signInAdmin({ gatewayUrl: subgraphUrls.users, db });
  return { productIds, cursors, words, tokens, adminToken };
}

type RequestMaker = (fixture: MixFixture, random: () => number) => MixRequest;
const pick = <T>(list: readonly T[], random: () => number): T =>
  list[Math.floor(random() * list.length)]!;
const body = (query: string, variables: Record<string, unknown> = {}) =>
  JSON.stringify({ query, variables });
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const REQUESTS = {
  product: (fixture, random) => ({
    kind: 'product',
    body: body(MIX_DOCUMENTS.product, { id: pick(fixture.productIds, random) }),
    check: (data) => isObject(data) && isObject(data.product),
  }),
  listing: (fixture, random) => ({
    kind: 'listing',
    body: body(MIX_DOCUMENTS.listing, { after: pick(fixture.cursors, random) }),
    check: (data) => isObject(data) && isObject(data.products),
  }),
  search: (fixture, random) => ({
    kind: 'search',
    body: body(MIX_DOCUMENTS.search, {
      query: `${pick(fixture.words, random)} ${pick(fixture.words, random)}`,
    }),
    check: (data) => isObject(data) && isObject(data.searchProducts),
  }),
  cart: (fixture, random) => ({
    kind: 'cart',
    body: body(MIX_DOCUMENTS.cart),
    token: pick(fixture.tokens, random),
    check: (data) =>
      isObject(data) &&
      isObject(data.me) &&
      isObject(data.me.cart) &&
      Array.isArray(data.me.cart.items) &&
      data.me.cart.items.every((item) => isObject(item) && isObject(item.product)),
  }),
  priceChange: (fixture, random) => ({
    kind: 'priceChange',
    body: body(MIX_DOCUMENTS.priceChange, {
      id: pick(fixture.productIds, random),
      input: { priceAmount: 500 + Math.floor(random() * 10_000) },
    }),
    token: fixture.adminToken,
    check: (data) =>
      isObject(data) &&
      isObject(data.updateProduct) &&
      Array.isArray(data.updateProduct.userErrors) &&
      data.updateProduct.userErrors.length === 0,
  }),
  cartDirect: (fixture, random) => ({
    kind: 'cart',
    body: body(MIX_DOCUMENTS.cartDirect),
    token: pick(fixture.tokens, random),
    check: (data) => isObject(data) && isObject(data.cart),
  }),
  meDirect: (fixture, random) => ({
    kind: 'me',
    body: body(MIX_DOCUMENTS.meDirect),
    token: pick(fixture.tokens, random),
    check: (data) => isObject(data) && isObject(data.me),
  }),
} satisfies Record<string, RequestMaker>;

export type MixRequestKind = keyof typeof REQUESTS;

/** A weighted mix of request kinds. */
export interface Mix {
  name: string;
  description: string;
  weights: Partial<Record<MixRequestKind, number>>;
}

/** The mix through a gateway, and each subgraph's share of it sent to that subgraph directly. */
export const MIXES = {
  shop: {
    name: 'shop',
    description:
      '40% product(id:), 20% products(first: 20, after:), 20% searchProducts, 20% me { cart }',
    weights: { product: 40, listing: 20, search: 20, cart: 20 },
  },
  shopWithWrites: {
    name: 'shop + 1% writes',
    description:
      '40% product(id:), 20% products(first: 20, after:), 20% searchProducts, 19% me { cart }, 1% updateProduct (a price change by an admin)',
    weights: { product: 40, listing: 20, search: 20, cart: 19, priceChange: 1 },
  },
  catalogProduct: {
    name: 'catalog product(id:)',
    description: 'product(id:) of one of 250 products, to the catalog subgraph',
    weights: { product: 1 },
  },
  catalogShare: {
    name: 'catalog share',
    description:
      "the mix's catalog requests (product 2 : listing 1 : search 1), to the catalog subgraph",
    weights: { product: 40, listing: 20, search: 20 },
  },
  cartShare: {
    name: 'cart share',
    description: '{ cart { items } } of one of 40 users, to the cart subgraph',
    weights: { cartDirect: 1 },
  },
  usersShare: {
    name: 'users share',
    description: '{ me { id name } } of one of 40 users, to the users subgraph',
    weights: { meDirect: 1 },
  },
} as const satisfies Record<string, Mix>;

/** The request source of one run: the same seed gives every target the same sequence. */
export function mixRequests(mix: Mix, fixture: MixFixture, seed = 1): () => MixRequest {
  const random = seededRandom(seed);
  const entries = Object.entries(mix.weights) as [MixRequestKind, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let roll = random() * total;
    for (const [kind, weight] of entries) {
      roll -= weight;
      if (roll < 0) return REQUESTS[kind](fixture, random);
    }
    return REQUESTS[entries[0]![0]](fixture, random);
  };
}

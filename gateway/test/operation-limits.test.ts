import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { Lexer, Source, TokenKind, getIntrospectionQuery } from 'graphql';
import {
  DEFAULT_OPERATION_LIMITS,
  OPERATION_LIMIT_EXCEEDED,
  operationLimits,
  operationLimitsFeature,
  type OperationLimits,
} from '../src/operation-limits.ts';
import { DEFAULT_MANIFEST_PATH } from '../src/persisted-documents.ts';

// A schema shaped like the shop's: connections sized by `first`, plain lists, single-object
// cycles (Product.category / Category.featured) to nest as deep as a test needs without cost.
const typeDefs = /* GraphQL */ `
  type Query {
    me: User
    product(id: ID!): Product
    products(first: Int = 20, after: String): ProductConnection!
    productsByIds(ids: [ID!]!): [Product!]!
    categories: [Category!]!
    ordersByStatus(status: OrderStatus!): [Order!]!
  }
  type Mutation {
    addToCart(productId: ID!, quantity: Int!): Cart!
  }
  type User {
    id: ID!
    name: String!
    cart: Cart!
  }
  type Cart {
    items: [CartItem!]!
  }
  type CartItem {
    product: Product!
    quantity: Int!
  }
  type Money {
    amount: Int!
    currency: String!
  }
  type Category {
    id: ID!
    name: String!
    featured: Product!
  }
  type Product {
    id: ID!
    name: String!
    price: Money!
    category: Category!
    related: [Product!]!
  }
  type ProductEdge {
    cursor: String!
    node: Product!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type ProductConnection {
    edges: [ProductEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  enum OrderStatus {
    PENDING
    CONFIRMED
  }
  type Order {
    id: ID!
    status: OrderStatus!
  }
`;

let resolverCalls = 0;
const counted =
  <T>(value: (args: Record<string, unknown>) => T) =>
  (_parent: unknown, args: Record<string, unknown>) => {
    resolverCalls += 1;
    return value(args);
  };
const product = (id: string) => ({
  id,
  name: `Product ${id}`,
  price: { amount: 1000, currency: 'EUR' },
});
const category = { id: 'c1', name: 'Tea' };
const resolvers = {
  Query: {
    me: counted(() => ({ id: 'u1', name: 'Ada' })),
    product: counted((args) => product(String(args.id))),
    products: counted((args) => ({
      edges: Array.from({ length: Number(args.first) }, (_, index) => ({
        cursor: String(index),
        node: product(String(index)),
      })),
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: Number(args.first),
    })),
    productsByIds: counted((args) => (args.ids as string[]).map(product)),
    categories: counted(() => [category]),
    ordersByStatus: counted(() => []),
  },
  Mutation: { addToCart: counted(() => ({ items: [] })) },
  User: { cart: counted(() => ({ items: [{ product: product('1'), quantity: 1 }] })) },
  Product: { category: counted(() => category), related: counted(() => [product('2')]) },
  Category: { featured: counted(() => product('1')) },
};

type Response = {
  status: number | undefined;
  data: unknown;
  errors: readonly Record<string, any>[];
};

/** An Apollo Server with what the operation-limits feature gives the gateway's. */
function serverWith(limits: OperationLimits): ApolloServer {
  const { apollo, plugins } = operationLimitsFeature(limits, 0);
  return new ApolloServer({
    typeDefs,
    resolvers,
    parseOptions: apollo?.parseOptions,
    validationRules: [...(apollo?.validationRules ?? [])],
    plugins: [...(plugins ?? [])] as never,
  });
}

const servers: ApolloServer[] = [];
async function started(limits: OperationLimits): Promise<ApolloServer> {
  const server = serverWith(limits);
  await server.start();
  servers.push(server);
  return server;
}

let shop: ApolloServer;
beforeAll(async () => {
  shop = await started(DEFAULT_OPERATION_LIMITS);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});
beforeEach(() => {
  resolverCalls = 0;
});

async function run(
  query: string,
  variables?: Record<string, unknown>,
  server = shop,
): Promise<Response> {
  const response = await server.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { status: response.http.status, data, errors: errors ?? [] };
}

async function expectAccepted(query: string, variables?: Record<string, unknown>, server = shop) {
  const response = await run(query, variables, server);
  expect(response.errors).toEqual([]);
  expect(response.data).toBeTruthy();
  expect(resolverCalls).toBeGreaterThan(0);
}

async function expectRefused(
  query: string,
  limit: keyof OperationLimits | undefined,
  variables?: Record<string, unknown>,
  server = shop,
) {
  const response = await run(query, variables, server);
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  const codes = response.errors.map((error) => error.extensions?.code);
  expect(codes).toContain(OPERATION_LIMIT_EXCEEDED);
  if (limit) {
    expect(
      response.errors.find((error) => error.extensions?.code === OPERATION_LIMIT_EXCEEDED)
        ?.extensions,
    ).toEqual({ code: OPERATION_LIMIT_EXCEEDED, limit });
  }
  // Refused before anything ran: no resolver (in the gateway, no planning and no subgraph call).
  expect(resolverCalls).toBe(0);
  return response;
}

/** `product { category { featured { category ... name } } }` with exactly `depth` levels. */
function nestedQuery(depth: number): string {
  let selection = 'name';
  for (let level = depth - 1; level >= 2; level -= 1) {
    selection = `${level % 2 === 0 ? 'category' : 'featured'} { ${level % 2 === 0 ? 'name ' : ''}${selection} }`;
  }
  return `{ product(id: "1") { ${selection} } }`;
}

function tokenCount(query: string): number {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  return tokens;
}

const limits = DEFAULT_OPERATION_LIMITS;

describe('each limit: at the limit passes, one over is refused with its code and HTTP 400', () => {
  it('depth', async () => {
    await expectAccepted(nestedQuery(limits.maxDepth));
    resolverCalls = 0;
    await expectRefused(nestedQuery(limits.maxDepth + 1), 'maxDepth');
  });

  it('depth counts through fragments without counting the spread as a level', async () => {
    const inFragment = (depth: number) =>
      `query { ...Root } fragment Root on Query ${nestedQuery(depth)}`;
    await expectAccepted(inFragment(limits.maxDepth));
    resolverCalls = 0;
    await expectRefused(inFragment(limits.maxDepth + 1), 'maxDepth');
  });

  it('aliases', async () => {
    const aliased = (count: number) =>
      `{ product(id: "1") { ${Array.from({ length: count }, (_, index) => `a${index}: name`).join(' ')} } }`;
    await expectAccepted(aliased(limits.maxAliases));
    resolverCalls = 0;
    await expectRefused(aliased(limits.maxAliases + 1), 'maxAliases');
  });

  it('tokens', async () => {
    // Twelve tokens around the list; each id is one more. (Repeating a field instead would trip
    // graphql-js's own budget for comparing overlapping fields first.)
    const withTokens = (tokens: number) =>
      `{ productsByIds(ids: [${Array.from({ length: tokens - 12 }, (_, index) => `"${index}"`).join(' ')}]) { name } }`;
    expect(tokenCount(withTokens(limits.maxTokens))).toBe(limits.maxTokens);
    await expectAccepted(withTokens(limits.maxTokens));
    resolverCalls = 0;
    await expectRefused(withTokens(limits.maxTokens + 1), 'maxTokens');
  });

  it('directives', async () => {
    const directed = (count: number) =>
      `{ product(id: "1") { ${'name @include(if: true) '.repeat(count)}} }`;
    await expectAccepted(directed(limits.maxDirectives));
    resolverCalls = 0;
    await expectRefused(directed(limits.maxDirectives + 1), 'maxDirectives');
  });

  it('root fields, counted through fragments and inline fragments', async () => {
    const rootFields = (count: number) => {
      const fields = Array.from(
        { length: count },
        (_, index) => `p${index}: product(id: "${index}") { name }`,
      );
      const half = Math.floor(count / 2);
      return `query { __typename ${fields.slice(0, half).join(' ')} ... on Query { ...Rest } }
        fragment Rest on Query { ${fields.slice(half).join(' ')} }`;
    };
    await expectAccepted(rootFields(limits.maxRootFields));
    resolverCalls = 0;
    await expectRefused(rootFields(limits.maxRootFields + 1), 'maxRootFields');
  });

  it('cost weighs a connection by its first argument, from a literal or a variable', async () => {
    // products 1 + first × (edges 1 + node 1 + name 1): 1 + 3 × first.
    const page = `query Page($first: Int) { products(first: $first) { edges { node { name } } } }`;
    const first = 50;
    const server = await started({ ...limits, maxCost: 1 + 3 * first });
    await expectAccepted(page, { first }, server);
    resolverCalls = 0;
    await expectRefused(page, 'maxCost', { first: first + 1 }, server);
    await expectRefused(
      `{ products(first: ${first + 1}) { edges { node { name } } } }`,
      'maxCost',
      undefined,
      server,
    );
  });

  it('cost uses the schema default of first when it is absent, and defaultListSize for plain lists', async () => {
    // products(first = 20): 1 + 20 × 3 = 61.
    const defaultPage = `{ products { edges { node { name } } } }`;
    await expectAccepted(defaultPage, undefined, await started({ ...limits, maxCost: 61 }));
    resolverCalls = 0;
    await expectRefused(
      defaultPage,
      'maxCost',
      undefined,
      await started({ ...limits, maxCost: 60 }),
    );
    // categories 1 + defaultListSize × (name 1 + featured 1 + 1 × name 1).
    const list = `{ categories { name featured { name } } }`;
    const listCost = 1 + limits.defaultListSize * 3;
    await expectAccepted(list, undefined, await started({ ...limits, maxCost: listCost }));
    resolverCalls = 0;
    await expectRefused(
      list,
      'maxCost',
      undefined,
      await started({ ...limits, maxCost: listCost - 1 }),
    );
  });
});

describe('overloading', () => {
  it('refuses alias overloading', async () => {
    const aliases = Array.from(
      { length: 100 },
      (_, index) => `a${index}: __typename b${index}: name`,
    ).join(' ');
    await expectRefused(`{ product(id: "1") { ${aliases} } }`, 'maxAliases');
  });

  it('refuses field overloading (the same field thousands of times)', async () => {
    await expectRefused(`{ product(id: "1") { ${'name '.repeat(5000)}} }`, 'maxTokens');
  });

  it('refuses directive overloading', async () => {
    const directives = '@include(if: true) @skip(if: false) '.repeat(15);
    await expectRefused(`{ product(id: "1") { name ${directives} } }`, undefined);
  });

  it('refuses a mutation batch of many root fields', async () => {
    const adds = Array.from(
      { length: limits.maxRootFields + 2 },
      (_, index) => `a${index}: addToCart(productId: "1", quantity: 1) { items { quantity } }`,
    );
    await expectRefused(`mutation { ${adds.join(' ')} }`, 'maxRootFields');
  });
});

describe('fragment bombs', () => {
  it('refuses a fragment that doubles at every level (aliases)', async () => {
    const levels = 12;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1
        ? `fragment F${level} on Product { name }`
        : `fragment F${level} on Product { a: category { featured { ...F${level + 1} } } b: category { featured { ...F${level + 1} } } }`,
    );
    await expectRefused(`{ product(id: "1") { ...F0 } } ${fragments.join(' ')}`, undefined);
  });

  it('refuses nested lists through fragments by cost, within depth and aliases', async () => {
    const levels = 7;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1
        ? `fragment L${level} on Product { name }`
        : `fragment L${level} on Product { related { ...L${level + 1} } }`,
    );
    await expectRefused(`{ product(id: "1") { ...L0 } } ${fragments.join(' ')}`, 'maxCost');
  });

  it('counts a fragment spread several times in one selection set once, as execution does', async () => {
    // product 1 + name 1; counting each spread would make it 4.
    const server = await started({ ...limits, maxCost: 2 });
    await expectAccepted(
      `{ product(id: "1") { ...P ...P ...P } } fragment P on Product { name }`,
      undefined,
      server,
    );
  });

  it('leaves recursive fragments to graphql-js validation, without hanging in the limit rules', async () => {
    const response = await run(
      `query { ...A } fragment A on Query { product(id: "1") { name } ...A }`,
    );
    expect(response.status).toBe(400);
    expect(response.errors.map((error) => error.extensions?.code)).toContain(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(response.errors.map((error) => error.message).join('\n')).toMatch(
      /Cannot spread fragment "A" within itself/,
    );
    expect(resolverCalls).toBe(0);
  });

  it('leaves mutually recursive fragments to graphql-js validation', async () => {
    const response = await run(
      `query { product(id: "1") { ...A } } fragment A on Product { category { featured { ...B } } } fragment B on Product { ...A }`,
    );
    expect(response.status).toBe(400);
    expect(response.errors.map((error) => error.extensions?.code)).toContain(
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(resolverCalls).toBe(0);
  });
});

describe('introspection-name bypass', () => {
  const deep = nestedQuery(limits.maxDepth + 3).slice(1, -1);

  it('an operation named __schema gets no exemption', async () => {
    await expectRefused(`query __schema { ${deep} }`, 'maxDepth');
  });

  it('a fragment named __schema gets no exemption', async () => {
    await expectRefused(`query { ...__schema } fragment __schema on Query { ${deep} }`, 'maxDepth');
  });

  it('a field aliased __schema gets no exemption', async () => {
    await expectRefused(`{ __schema: ${deep.trim()} }`, 'maxDepth');
  });

  it('a deep list bomb under an operation named __schema is costed', async () => {
    const related = 'related { '.repeat(6) + 'name' + ' }'.repeat(6);
    await expectRefused(`query __schema { product(id: "1") { ${related} } }`, 'maxCost');
  });

  it('real introspection (what Sandbox sends) passes', async () => {
    const response = await run(getIntrospectionQuery());
    expect(response.errors).toEqual([]);
    expect(JSON.stringify(response.data)).toContain('ProductConnection');
  });
});

describe('suggestions', () => {
  it('are stripped from validation and variable errors when hideSuggestions is on', async () => {
    const field = await run(`{ prodcts { totalCount } }`);
    expect(field.status).toBe(400);
    expect(field.errors[0]?.message).toBe('Cannot query field "prodcts" on type "Query".');
    const enumValue = await run(
      `query ($status: OrderStatus!) { ordersByStatus(status: $status) { id } }`,
      {
        status: 'PENDIN',
      },
    );
    expect(enumValue.errors[0]?.message).toMatch(/PENDIN/);
    expect(enumValue.errors[0]?.message).not.toMatch(/Did you mean/);
  });

  it('are kept when hideSuggestions is off (development)', async () => {
    const server = await started({ ...limits, hideSuggestions: false });
    const field = await run(`{ prodcts { totalCount } }`, undefined, server);
    expect(field.errors[0]?.message).toMatch(/Did you mean "products" or "product"\?/);
  });
});

describe('the shop storefront fits the defaults', () => {
  it('accepts a products page, a cart and a product page', async () => {
    await expectAccepted(
      `query { products(first: 100) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id name price { amount currency } category { id name } } } } }`,
    );
    await expectAccepted(
      `query { me { id name cart { items { quantity product { id name price { amount currency } } } } } }`,
    );
    await expectAccepted(
      `query { product(id: "1") { id name price { amount currency } category { name } related { id name price { amount currency } } } }`,
    );
  });
});

describe('the storefront operations of the typed client', () => {
  it('all fit the default limits against the real API schema, at their largest page size', async () => {
    const apiSchema = readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8');
    const manifest = JSON.parse(readFileSync(DEFAULT_MANIFEST_PATH, 'utf8')) as Record<
      string,
      string
    >;
    const { parseOptions, validationRules, plugins } = operationLimits(DEFAULT_OPERATION_LIMITS);
    // No resolvers: nothing is executed that matters here, only what is refused before execution.
    const api = new ApolloServer({ typeDefs: apiSchema, parseOptions, validationRules, plugins });
    await api.start();
    servers.push(api);

    const documents = Object.values(manifest);
    expect(documents.length).toBeGreaterThanOrEqual(15);
    for (const query of documents) {
      const response = await run(query, { first: 100 }, api);
      const refusals = response.errors.filter((error) =>
        ['OPERATION_LIMIT_EXCEEDED', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'].includes(
          error.extensions?.code,
        ),
      );
      expect(refusals, query).toEqual([]);
    }
  });
});

describe('the batch size', () => {
  const batch = (size: number) => ({
    method: 'POST',
    headers: new HeaderMap(),
    search: '',
    body: Array.from({ length: size }, () => ({ query: '{ categories { id } }' })),
  });

  it('turns batching on with a maximum, and refuses a larger batch whole', () => {
    const feature = operationLimitsFeature(DEFAULT_OPERATION_LIMITS, 3);
    expect(feature.apollo?.allowBatchedHttpRequests).toBe(true);
    expect(feature.screen?.(batch(3))).toEqual({ accept: batch(3) });
    expect(feature.screen?.(batch(4))).toEqual({
      refuse: {
        status: 400,
        message: 'A batch may hold at most 3 operations',
        code: OPERATION_LIMIT_EXCEEDED,
      },
    });
  });

  it('leaves batching off at 0', () => {
    expect(
      operationLimitsFeature(DEFAULT_OPERATION_LIMITS, 0).apollo?.allowBatchedHttpRequests,
    ).toBe(false);
  });
});

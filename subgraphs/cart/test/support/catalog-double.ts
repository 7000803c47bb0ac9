import { randomUUID } from 'node:crypto';
import { parse } from 'graphql';
import type { TokenVerifier } from '@microshop/auth';
import {
  createLogger,
  startSubgraphServer,
  type RequestContext,
  type RunningServer,
} from '@microshop/runtime';

/**
 * A stand-in for the catalog subgraph (built in parallel by another engineer): a real subgraph
 * server over HTTP, verifying tokens like every subgraph, that answers federation `_entities`
 * queries for Product and ProductVariant over products the test controls, and records who called
 * it. Each product has one variant with the product's own id (as the variants migration leaves a
 * product), unless more are added. The whole-stack e2e tests run the cart against the real catalog.
 */
export interface CatalogProductState {
  id: string;
  priceAmount: number;
  currency: string;
  stock: number;
  active: boolean;
  /** Further variants (id, price and stock) beyond the one with the product's id. */
  variants?: Array<{ id: string; priceAmount: number; stock: number }>;
}

const typeDefs = parse(/* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])
  type Money @shareable {
    amount: Int!
    currency: String!
  }
  type Product @key(fields: "id") {
    id: ID!
    active: Boolean!
    variants: [ProductVariant!]!
  }
  type ProductVariant @key(fields: "id") {
    id: ID!
    product: Product!
    price: Money!
    stock: Int!
    active: Boolean!
  }
  type Query {
    product(id: ID!): Product
  }
`);

export class CatalogDouble {
  readonly products = new Map<string, CatalogProductState>();
  /** The caller's Authorization header and request id of every GraphQL request received. */
  readonly requests: { authorization: string | undefined; requestId: string }[] = [];
  /** While true, resolving a product fails as a catalog with a broken database would. */
  failing = false;
  private server: RunningServer | undefined;
  private port = 0;

  constructor(private readonly verifier: TokenVerifier) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  /** Adds a product (active, 10.00 EUR, 50 in stock unless told otherwise); returns its id. */
  addProduct(state: Partial<Omit<CatalogProductState, 'id'>> = {}): string {
    const id = randomUUID();
    this.products.set(id, {
      id,
      priceAmount: 1_000,
      currency: 'EUR',
      stock: 50,
      active: true,
      ...state,
    });
    return id;
  }

  update(id: string, change: Partial<Omit<CatalogProductState, 'id'>>): void {
    const product = this.products.get(id);
    if (!product) throw new Error(`no product ${id} in the catalog double`);
    Object.assign(product, change);
  }

  /** Gives the product a second (third...) variant; returns its id. */
  addVariant(productId: string, state: { priceAmount?: number; stock?: number } = {}): string {
    const product = this.products.get(productId);
    if (!product) throw new Error(`no product ${productId} in the catalog double`);
    const id = randomUUID();
    product.variants = [
      ...(product.variants ?? []),
      { id, priceAmount: state.priceAmount ?? product.priceAmount, stock: state.stock ?? 50 },
    ];
    return id;
  }

  private variantsOf(product: CatalogProductState) {
    return [
      { id: product.id, priceAmount: product.priceAmount, stock: product.stock },
      ...(product.variants ?? []),
    ].map((variant) => ({
      id: variant.id,
      product: { id: product.id },
      price: { amount: variant.priceAmount, currency: product.currency },
      stock: variant.stock,
      active: product.active,
    }));
  }

  private view(id: string) {
    if (this.failing) throw new Error('catalog double told to fail');
    const product = this.products.get(id);
    return product ? { id, active: product.active, variants: this.variantsOf(product) } : null;
  }

  private variantView(id: string) {
    if (this.failing) throw new Error('catalog double told to fail');
    for (const product of this.products.values()) {
      const variant = this.variantsOf(product).find((candidate) => candidate.id === id);
      if (variant) return variant;
    }
    return null;
  }

  /** Starts listening (again on the same port after a stop, so a client's URL stays valid). */
  async start(): Promise<void> {
    this.server = await startSubgraphServer<RequestContext>(
      {
        name: 'catalog-double',
        typeDefs,
        resolvers: {
          Query: { product: (_: unknown, { id }: { id: string }) => this.view(id) },
          Product: { __resolveReference: ({ id }: { id: string }) => this.view(id) },
          ProductVariant: {
            __resolveReference: ({ id }: { id: string }) => this.variantView(id),
          },
        },
        verifier: this.verifier,
        logger: createLogger('catalog-double', { logLevel: 'silent' }),
        showInternalErrors: true,
        context: (base) => {
          this.requests.push({ authorization: base.authorization, requestId: base.requestId });
          return base;
        },
      },
      { port: this.port, host: '127.0.0.1' },
    );
    this.port = this.server.port;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}

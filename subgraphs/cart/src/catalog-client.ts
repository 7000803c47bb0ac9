import {
  isUuid,
  querySubgraph,
  SubgraphUnreachableError,
  type OnBehalfOf,
  type SubgraphAnswer,
} from '@microshop/runtime';

/** Money as the catalog prices products: minor units of an ISO-4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** What the cart needs to know of a product variant the catalog sells now. */
export interface CatalogVariant {
  id: string;
  productId: string;
  price: Money;
  /** Units available to sell now (on hand minus reserved). */
  stock: number;
}

/** A product as the catalog answers for it, sold now or not, with its variants. */
export interface CatalogProduct {
  id: string;
  active: boolean;
  variants: CatalogVariant[];
}

/**
 * The catalog as the cart sees it: batched lookups of products and of variants by id. Unknown
 * ids are absent from the answers, and so are variants that are not sold any more.
 */
export interface CatalogClient {
  findProducts(ids: readonly string[], caller: OnBehalfOf): Promise<Map<string, CatalogProduct>>;
  findVariants(ids: readonly string[], caller: OnBehalfOf): Promise<Map<string, CatalogVariant>>;
}

/** The catalog could not be asked (down, timed out, or answered with an error). */
export class CatalogUnavailableError extends Error {
  override name = 'CatalogUnavailableError';
}

/**
 * One `_entities` call resolves any number of products or variants, the same way the gateway
 * resolves their references: the catalog's Product and ProductVariant entities are the only
 * contract the cart depends on.
 */
export const PRODUCTS_QUERY = /* GraphQL */ `
  query CartProducts($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        id
        active
        variants {
          id
          price {
            amount
            currency
          }
          stock
        }
      }
    }
  }
`;

export const VARIANTS_QUERY = /* GraphQL */ `
  query CartVariants($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on ProductVariant {
        id
        product {
          id
        }
        price {
          amount
          currency
        }
        stock
        active
      }
    }
  }
`;

interface ProductEntity {
  id: string;
  active: boolean;
  variants: Array<Omit<CatalogVariant, 'productId'>>;
}

interface VariantEntity {
  id: string;
  product: { id: string };
  price: Money;
  stock: number;
  active: boolean;
}

/** A catalog client over HTTP (the catalog subgraph's GraphQL endpoint), on the caller's behalf. */
export function createCatalogClient(options: { url: string; timeoutMs?: number }): CatalogClient {
  const timeoutMs = options.timeoutMs ?? 3_000;

  /** The entities of `typename` with these ids, in order (null: unknown). */
  async function entities<T>(
    typename: string,
    query: string,
    ids: readonly string[],
    caller: OnBehalfOf,
  ): Promise<(T | null)[]> {
    // Catalog ids are UUIDs: anything else names nothing, and is not worth a call.
    const catalogIds = ids.filter(isUuid);
    if (catalogIds.length === 0) return [];
    const representations = catalogIds.map((id) => ({ __typename: typename, id }));
    let answer: SubgraphAnswer<{ _entities?: (T | null)[] }>;
    try {
      answer = await querySubgraph(
        options.url,
        { query, variables: { representations } },
        caller,
        timeoutMs,
      );
    } catch (error) {
      if (!(error instanceof SubgraphUnreachableError)) throw error;
      throw new CatalogUnavailableError('The catalog could not be reached', { cause: error });
    }
    // Unknown ids resolve to null without an error; an error means the answer cannot be trusted.
    const found = answer.data?._entities;
    if (!found || answer.errors?.length) {
      const reasons =
        answer.errors?.map((error) => error.message).join('; ') ?? `HTTP ${answer.status}, no data`;
      throw new CatalogUnavailableError(`The catalog failed to answer: ${reasons}`);
    }
    return found;
  }

  return {
    async findProducts(ids, caller) {
      const found = new Map<string, CatalogProduct>();
      for (const entity of await entities<ProductEntity>('Product', PRODUCTS_QUERY, ids, caller)) {
        if (entity)
          found.set(entity.id, {
            id: entity.id,
            active: entity.active,
            variants: entity.variants.map((variant) => ({ ...variant, productId: entity.id })),
          });
      }
      return found;
    },
    async findVariants(ids, caller) {
      const found = new Map<string, CatalogVariant>();
      const answer = await entities<VariantEntity>('ProductVariant', VARIANTS_QUERY, ids, caller);
      for (const entity of answer) {
        if (entity?.active)
          found.set(entity.id, {
            id: entity.id,
            productId: entity.product.id,
            price: entity.price,
            stock: entity.stock,
          });
      }
      return found;
    },
  };
}

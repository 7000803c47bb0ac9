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

/** What the cart needs to know of a product the catalog sells now. */
export interface CatalogProduct {
  id: string;
  price: Money;
  /** Units available to sell now (on hand minus reserved). */
  stock: number;
}

/** A product as the catalog answers for it, active or not. */
interface ProductEntity extends CatalogProduct {
  active: boolean;
}

/**
 * The catalog as the cart sees it: a batched lookup of products by id. Products that do not exist
 * or are not sold any more are absent from the answer.
 */
export interface CatalogClient {
  findProducts(ids: readonly string[], caller: OnBehalfOf): Promise<Map<string, CatalogProduct>>;
}

/** The catalog could not be asked (down, timed out, or answered with an error). */
export class CatalogUnavailableError extends Error {
  override name = 'CatalogUnavailableError';
}

/**
 * One `_entities` call resolves any number of products, the same way the gateway resolves Product
 * references: the catalog's Product entity is the only contract the cart depends on.
 */
export const PRODUCTS_QUERY = /* GraphQL */ `
  query CartProducts($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Product {
        id
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

/** A catalog client over HTTP (the catalog subgraph's GraphQL endpoint), on the caller's behalf. */
export function createCatalogClient(options: { url: string; timeoutMs?: number }): CatalogClient {
  const timeoutMs = options.timeoutMs ?? 3_000;
  return {
    async findProducts(ids, caller) {
      const found = new Map<string, CatalogProduct>();
      // Catalog ids are UUIDs: anything else names no product, and is not worth a call.
      const catalogIds = ids.filter(isUuid);
      if (catalogIds.length === 0) return found;
      const representations = catalogIds.map((id) => ({ __typename: 'Product', id }));
      let answer: SubgraphAnswer<{ _entities?: (ProductEntity | null)[] }>;
      try {
        answer = await querySubgraph(
          options.url,
          { query: PRODUCTS_QUERY, variables: { representations } },
          caller,
          timeoutMs,
        );
      } catch (error) {
        if (!(error instanceof SubgraphUnreachableError)) throw error;
        throw new CatalogUnavailableError('The catalog could not be reached', { cause: error });
      }
      // Unknown ids resolve to null without an error; an error means the answer cannot be trusted.
      const entities = answer.data?._entities;
      if (!entities || answer.errors?.length) {
        const reasons =
          answer.errors?.map((error) => error.message).join('; ') ??
          `HTTP ${answer.status}, no data`;
        throw new CatalogUnavailableError(`The catalog failed to answer: ${reasons}`);
      }
      for (const entity of entities) {
        if (entity?.active)
          found.set(entity.id, { id: entity.id, price: entity.price, stock: entity.stock });
      }
      return found;
    },
  };
}

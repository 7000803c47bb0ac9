import { GraphQLError } from 'graphql';
import type { PostalAddress } from '@microshop/addresses';
import {
  ErrorCode,
  querySubgraph,
  serviceUnavailable,
  SubgraphUnreachableError,
  type RequestContext,
  type SubgraphAnswer,
} from '@microshop/runtime';

/**
 * Calls orders makes to other subgraphs while pricing and placing an order, on the caller's
 * behalf (their own Authorization header and request id).
 */

// Generous: a busy cart or catalog is better waited for than turned into a failed checkout.
const UPSTREAM_TIMEOUT_MS = 10_000;

/** Errors a caller should see as they are (their own token was refused), not as an outage. */
const PASSED_THROUGH_CODES = new Set<string>([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN]);

async function requestSubgraph<TData>(
  ctx: RequestContext,
  service: string,
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<TData> {
  let answer: SubgraphAnswer<TData>;
  try {
    answer = await querySubgraph<TData>(url, { query, variables }, ctx, UPSTREAM_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof SubgraphUnreachableError)) throw error;
    ctx.log.warn({ err: error.cause, service, url }, 'upstream subgraph unreachable');
    throw serviceUnavailable(`The ${service} service is unavailable; try again`);
  }
  const passedThrough = answer.errors?.find((error) =>
    PASSED_THROUGH_CODES.has(error.extensions?.code ?? ''),
  );
  if (passedThrough) {
    throw new GraphQLError(passedThrough.message, {
      extensions: { code: passedThrough.extensions?.code },
    });
  }
  const messages = answer.errors?.map((error) => error.message).join('; ');
  if (!answer.data)
    throw new Error(`${service} answered ${answer.status}: ${messages ?? 'no data'}`);
  // Partial data: entities that failed come back null and the caller decides what null means.
  if (messages)
    ctx.log.warn({ service, errors: messages }, 'upstream subgraph answered with errors');
  return answer.data;
}

export interface CartLine {
  productId: string;
  variantId: string;
  quantity: number;
}

/** A product variant as an order line records it. */
export interface VariantSnapshot {
  id: string;
  sku: string;
  title: string;
  selectedOptions: Array<{ name: string; value: string }>;
  price: { amount: number; currency: string };
  product: { id: string; name: string };
}

/** An address of the caller's address book (users subgraph). */
export interface BookAddress extends PostalAddress {
  id: string;
}

/** The carts, variant snapshots and address books checkout needs, from cart, catalog and users. */
export interface ShopUpstream {
  /** The caller's address book (the users subgraph identifies them by their token). */
  addressBookOf(ctx: RequestContext): Promise<BookAddress[]>;
  /** The caller's cart (the cart subgraph identifies them by their token). */
  cartOf(ctx: RequestContext): Promise<CartLine[]>;
  /** One entry per variant id, in the same order; null for one the catalog does not know. */
  variants(ctx: RequestContext, ids: readonly string[]): Promise<(VariantSnapshot | null)[]>;
}

// The cart subgraph's own root field: the caller's cart, checked against their token.
const CART_QUERY = /* GraphQL */ `
  query CartForOrder {
    cart {
      items {
        product {
          id
        }
        variant {
          id
        }
        quantity
      }
    }
  }
`;

const VARIANTS_QUERY = /* GraphQL */ `
  query VariantsForOrder($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on ProductVariant {
        id
        sku
        title
        selectedOptions {
          name
          value
        }
        price {
          amount
          currency
        }
        product {
          id
          name
        }
      }
    }
  }
`;

const ADDRESS_BOOK_QUERY = /* GraphQL */ `
  query AddressBookForOrder {
    me {
      addresses {
        id
        name
        line1
        line2
        city
        region
        postalCode
        country
        phone
      }
    }
  }
`;

export function createShopUpstream(urls: {
  cart: string;
  catalog: string;
  users: string;
}): ShopUpstream {
  return {
    async addressBookOf(ctx) {
      const data = await requestSubgraph<{ me: { addresses: BookAddress[] } | null }>(
        ctx,
        'users',
        urls.users,
        ADDRESS_BOOK_QUERY,
        {},
      );
      return data.me?.addresses ?? [];
    },

    async cartOf(ctx) {
      const data = await requestSubgraph<{
        cart: {
          items: { product: { id: string }; variant: { id: string }; quantity: number }[];
        } | null;
      }>(ctx, 'cart', urls.cart, CART_QUERY, {});
      if (!data.cart) throw new Error('cart subgraph returned no cart for the caller');
      return data.cart.items.map((item) => ({
        productId: item.product.id,
        variantId: item.variant.id,
        quantity: item.quantity,
      }));
    },

    async variants(ctx, ids) {
      if (ids.length === 0) return [];
      const data = await requestSubgraph<{ _entities: (VariantSnapshot | null)[] }>(
        ctx,
        'catalog',
        urls.catalog,
        VARIANTS_QUERY,
        { representations: ids.map((id) => ({ __typename: 'ProductVariant', id })) },
      );
      return ids.map((_id, index) => data._entities[index] ?? null);
    },
  };
}

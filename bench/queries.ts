/** The operations every gateway is measured with; all three fit the gateway's default operation limits. */
export interface BenchQuery {
  name: string;
  description: string;
  query: string;
  /** Whether it needs the signed-in benchmark user's token. */
  signedIn: boolean;
  /** Whether the catalog subgraph alone can answer it (target b). */
  catalogOnly: boolean;
}

export const QUERIES: readonly BenchQuery[] = [
  {
    name: 'products',
    description: '1 subgraph: products(first: 20)',
    query: `query Products {
      products(first: 20) { edges { node { id name price { amount currency } stock } } }
    }`,
    signedIn: false,
    catalogOnly: true,
  },
  {
    name: 'storefront',
    description: '3 subgraphs: me → cart → products (users, cart, catalog)',
    query: `query Storefront {
      me { cart { items { quantity product { name price { amount currency } stock } } } }
    }`,
    signedIn: true,
    catalogOnly: false,
  },
  {
    name: 'deep',
    description: 'depth 10, 5 subgraphs: me → orders → items/payment/user → cart → products',
    query: `query Deep {
      me {
        orders(first: 5) {
          edges {
            node {
              id
              status
              items { quantity product { name stock category { name } } }
              payment { status }
              user { cart { items { product { name price { amount } stock } } } }
            }
          }
        }
      }
    }`,
    signedIn: true,
    catalogOnly: false,
  },
];

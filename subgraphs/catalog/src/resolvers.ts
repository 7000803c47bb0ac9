import { servedByGateway } from '@microshop/runtime';
import type { Resolvers } from './generated/resolvers-types.ts';

export const resolvers: Resolvers = {
  Query: {
    product: (_parent, { id }, ctx) => ctx.products.product(id),
    products: (_parent, args, ctx) => ctx.products.listProducts(ctx, args),
    searchProducts: async (_parent, args, ctx) => {
      const page = await ctx.products.searchProducts(ctx, args);
      return {
        edges: page.edges,
        totalCount: page.totalCount,
        facets: page.facets,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null },
      };
    },
    categories: (_parent, _args, ctx) => ctx.products.listCategories(ctx),
  },
  Mutation: {
    createProduct: (_parent, { input }, ctx) => ctx.products.createProduct(ctx, input),
    updateProduct: (_parent, { id, input }, ctx) => ctx.products.updateProduct(ctx, id, input),
    adjustStock: (_parent, { productId, delta }, ctx) =>
      ctx.products.adjustStock(ctx, productId, delta),
    createCategory: (_parent, { input }, ctx) => ctx.products.createCategory(ctx, input),
  },
  Subscription: {
    productChanged: servedByGateway('productChanged', 'catalog'),
  },
  ProductConnection: {
    edges: (page) =>
      page.nodes.map((node, position) => ({ node, cursor: page.cursors[position] ?? '' })),
    pageInfo: (page) => ({ hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null }),
    totalCount: (page) => page.totalCount(),
  },
  Product: {
    // N references in one request: one batched query through the request's DataLoader.
    __resolveReference: (reference, ctx) => ctx.products.product(reference.id),
    price: (product) => ({ amount: product.priceAmount, currency: product.currency }),
    category: (product, _args, ctx) => ctx.products.categoryOf(product),
    stock: (product) => Math.max(0, product.onHand - product.reserved),
    inStock: (product) => product.onHand - product.reserved > 0,
  },
};

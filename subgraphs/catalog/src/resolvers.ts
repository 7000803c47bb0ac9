import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { servedByGateway } from '@microshop/runtime';
import type { Resolvers } from './generated/resolvers-types.ts';
import { availableUnits, productOptions, variantTitle } from './product.service.ts';

export const resolvers: Resolvers = {
  Query: {
    product: (_parent, { id }, ctx) => ctx.products.product(id),
    productVariant: (_parent, { id }, ctx) => ctx.products.variant(id),
    products: (_parent, args, ctx) => ctx.products.listProducts(ctx, args),
    searchProducts: async (_parent, args, ctx, info) => {
      const page = await ctx.products.searchProducts(ctx, args, selectsField(info, 'facets'));
      return {
        edges: page.edges,
        totalCount: page.totalCount,
        facets: page.facets,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null },
      };
    },
    categories: (_parent, { rootsOnly }, ctx) =>
      ctx.products.listCategories(ctx, rootsOnly ?? false),
    category: (_parent, { slug }, ctx) => ctx.products.categoryBySlug(slug),
  },
  Mutation: {
    createProduct: (_parent, { input }, ctx) => ctx.products.createProduct(ctx, input),
    updateProduct: (_parent, { id, input }, ctx) => ctx.products.updateProduct(ctx, id, input),
    adjustStock: (_parent, { productId, delta, variantId }, ctx) =>
      ctx.products.adjustStock(ctx, productId, delta, variantId),
    createProductVariant: (_parent, { productId, input }, ctx) =>
      ctx.products.createProductVariant(ctx, productId, input),
    updateProductVariant: (_parent, { id, input }, ctx) =>
      ctx.products.updateProductVariant(ctx, id, input),
    addProductImage: (_parent, { productId, input }, ctx) =>
      ctx.products.addProductImage(ctx, productId, input),
    removeProductImage: (_parent, { id }, ctx) => ctx.products.removeProductImage(ctx, id),
    reorderProductImages: (_parent, { productId, imageIds }, ctx) =>
      ctx.products.reorderProductImages(ctx, productId, imageIds),
    createCategory: (_parent, { input }, ctx) => ctx.products.createCategory(ctx, input),
    setCategoryParent: (_parent, { slug, parentSlug }, ctx) =>
      ctx.products.setCategoryParent(ctx, slug, parentSlug ?? null),
  },
  Subscription: {
    productChanged: servedByGateway('productChanged', 'catalog'),
  },
  Category: {
    parent: (category, _args, ctx) =>
      category.parentId ? ctx.products.category(category.parentId) : null,
    children: (category, _args, ctx) => ctx.products.childrenOf(category),
    breadcrumbs: (category, _args, ctx) => ctx.products.breadcrumbsOf(category),
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
    stock: (product, _args, ctx) => ctx.products.stockOf(product),
    inStock: async (product, _args, ctx) => (await ctx.products.stockOf(product)) > 0,
    variants: (product, _args, ctx) => ctx.products.variantsOf(product),
    images: (product, _args, ctx) => ctx.products.imagesOf(product),
    options: async (product, _args, ctx) => productOptions(await ctx.products.variantsOf(product)),
  },
  ProductVariant: {
    __resolveReference: (reference, ctx) => ctx.products.variant(reference.id),
    product: async (variant, _args, ctx) => {
      const product = await ctx.products.product(variant.productId);
      if (!product) throw new Error(`variant ${variant.id} has no product`);
      return product;
    },
    title: (variant) => variantTitle(variant),
    price: (variant) => ({ amount: variant.priceAmount, currency: variant.currency }),
    stock: (variant) => availableUnits(variant),
    inStock: (variant) => availableUnits(variant) > 0,
  },
};

/** Whether the query selects `field` on this field's result (directly, in fragments or inline). */
function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  const visit = (selectionSet: SelectionSetNode | undefined): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === 'Field') return selection.name.value === field;
      if (selection.kind === 'InlineFragment') return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

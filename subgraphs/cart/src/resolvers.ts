import type { Resolvers } from './generated/resolvers-types.ts';
import { lineTotal } from './cart.service.ts';

/** Thin: unpack arguments, call the cart service, map its result. */
export const resolvers: Resolvers = {
  Query: {
    cart: (_parent, _args, ctx) => ctx.carts.myCart(ctx),
  },
  Mutation: {
    addToCart: (_parent, { productId, variantId, quantity }, ctx) =>
      ctx.carts.addToCart(ctx, { productId, variantId }, quantity),
    updateCartItem: (_parent, { productId, variantId, quantity }, ctx) =>
      ctx.carts.updateCartItem(ctx, { productId, variantId }, quantity),
    removeFromCart: (_parent, { productId, variantId }, ctx) =>
      ctx.carts.removeFromCart(ctx, { productId, variantId }),
    clearCart: (_parent, _args, ctx) => ctx.carts.clearCart(ctx),
  },
  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    cart: (user, _args, ctx) => ctx.carts.cartOf(ctx, user.id),
  },
  Cart: {
    id: (cart) => cart.userId,
    items: (cart, _args, ctx) => ctx.carts.items(ctx, cart),
    totalQuantity: (cart, _args, ctx) => ctx.carts.totalQuantity(ctx, cart),
    subtotal: (cart, _args, ctx) => ctx.carts.subtotal(ctx, cart),
  },
  CartItem: {
    product: (item) => ({ id: item.productId }),
    variant: (item) => ({ id: item.variantId }),
    lineTotal: (item) => lineTotal(item),
  },
};

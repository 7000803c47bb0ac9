import type { Resolvers } from './generated/resolvers-types.ts';
import { lineTotal } from './cart.service.ts';

/** Thin: unpack arguments, call the cart service, map its result. */
export const resolvers: Resolvers = {
  Query: {
    cart: (_parent, { cartToken }, ctx) => ctx.carts.myCart(ctx, cartToken),
  },
  Mutation: {
    addToCart: (_parent, { productId, variantId, quantity, cartToken }, ctx) =>
      ctx.carts.addToCart(ctx, { productId, variantId }, quantity, cartToken),
    updateCartItem: (_parent, { productId, variantId, quantity, cartToken }, ctx) =>
      ctx.carts.updateCartItem(ctx, { productId, variantId }, quantity, cartToken),
    removeFromCart: (_parent, { productId, variantId, cartToken }, ctx) =>
      ctx.carts.removeFromCart(ctx, { productId, variantId }, cartToken),
    clearCart: (_parent, { cartToken }, ctx) => ctx.carts.clearCart(ctx, cartToken),
    createGuestCart: (_parent, _args, ctx) => ctx.carts.createGuestCart(),
    mergeGuestCart: (_parent, { cartToken }, ctx) => ctx.carts.mergeGuestCart(ctx, cartToken),
  },
  User: {
    __resolveReference: (reference) => ({ id: reference.id }),
    cart: (user, _args, ctx) => ctx.carts.cartOf(ctx, user.id),
  },
  Cart: {
    id: (cart) => cart.key,
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

import { DateTimeScalar } from '@microshop/runtime';
import type { Resolvers } from './generated/resolvers-types.ts';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    me: (_parent, _args, ctx) => ctx.auth.me(ctx),
  },
  Mutation: {
    signUp: (_parent, { input }, ctx) => ctx.auth.signUp(ctx, input),
    logIn: (_parent, { input }, ctx) => ctx.auth.logIn(ctx, input),
    refreshToken: (_parent, { refreshToken }, ctx) => ctx.auth.refresh(ctx, refreshToken),
    logOut: (_parent, { refreshToken }, ctx) => ctx.auth.logOut(ctx, refreshToken),
    addAddress: (_parent, { input }, ctx) => ctx.addressBook.addAddress(ctx, input),
    updateAddress: (_parent, { input }, ctx) => ctx.addressBook.updateAddress(ctx, input),
    removeAddress: (_parent, { id }, ctx) => ctx.addressBook.removeAddress(ctx, id),
  },
  User: {
    __resolveReference: (reference, ctx) => ctx.auth.user(reference.id),
    addresses: (user, _args, ctx) => ctx.addressBook.addressesOf(ctx, user.id),
  },
};

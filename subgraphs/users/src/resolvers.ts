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
  },
  User: {
    __resolveReference: (reference, ctx) => ctx.auth.user(reference.id),
  },
};

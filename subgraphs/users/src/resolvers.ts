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
    requestPasswordReset: (_parent, { email }, ctx) => ctx.account.requestPasswordReset(ctx, email),
    resetPassword: (_parent, { token, newPassword }, ctx) =>
      ctx.account.resetPassword(ctx, token, newPassword),
    sendVerificationEmail: (_parent, _args, ctx) => ctx.account.sendVerificationEmail(ctx),
    verifyEmail: (_parent, { token }, ctx) => ctx.account.verifyEmail(ctx, token),
    changePassword: (_parent, { currentPassword, newPassword }, ctx) =>
      ctx.account.changePassword(ctx, currentPassword, newPassword),
    addAddress: (_parent, { input }, ctx) => ctx.addressBook.addAddress(ctx, input),
    updateAddress: (_parent, { input }, ctx) => ctx.addressBook.updateAddress(ctx, input),
    removeAddress: (_parent, { id }, ctx) => ctx.addressBook.removeAddress(ctx, id),
  },
  User: {
    __resolveReference: (reference, ctx) => ctx.auth.user(reference.id),
    emailVerified: (user) => user.emailVerifiedAt !== null,
    addresses: (user, _args, ctx) => ctx.addressBook.addressesOf(ctx, user.id),
  },
};

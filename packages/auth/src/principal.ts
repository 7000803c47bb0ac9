import { GraphQLError } from 'graphql';

export type Role = 'CUSTOMER' | 'ADMIN';

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  userId: string;
  role: Role;
  /**
   * The sign-in (refresh-token family) the access token was issued for, from its `sid` claim;
   * absent for tokens issued without one.
   */
  sessionId?: string;
}

/** Verifies a bearer token; rejects anything invalid with an UNAUTHENTICATED GraphQLError. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export function unauthenticated(message = 'Authentication required'): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

export function forbidden(message = 'Not allowed'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

export function requireUser(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
  return principal;
}

export function isAdmin(principal: Principal): boolean {
  return principal.role === 'ADMIN';
}

export function requireAdmin(principal: Principal | null): Principal {
  const user = requireUser(principal);
  if (!isAdmin(user)) throw forbidden('Administrator role required');
  return user;
}

/**
 * The caller, when they are `ownerId` or an ADMIN; FORBIDDEN for anyone else. No owner (the thing
 * does not exist) passes only an ADMIN, so that ids cannot be probed.
 */
export function requireOwnerOrAdmin(
  principal: Principal | null,
  ownerId: string | null | undefined,
  message = 'Not allowed',
): Principal {
  const user = requireUser(principal);
  if (!isAdmin(user) && user.userId !== ownerId) throw forbidden(message);
  return user;
}

/** Extracts the token of an `Authorization: Bearer <token>` header; a malformed header is rejected. */
export function bearerToken(header: string | undefined | null): string | null {
  if (header === undefined || header === null || header === '') return null;
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(header.trim());
  if (!match?.[1])
    throw unauthenticated('Malformed Authorization header: expected "Bearer <token>"');
  return match[1];
}

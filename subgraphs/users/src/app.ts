import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  createAccessTokenIssuer,
  createLocalTokenVerifier,
  type TokenAudience,
} from '@microshop/auth';
import type { Cache } from '@microshop/cache';
import type { Db } from '@microshop/db';
import type { DevelopmentMailer } from '@microshop/mail';
import {
  sendJson,
  type Logger,
  type RouteHandler,
  type SubgraphServerOptions,
} from '@microshop/runtime';
import type { AccountTokenLifetimes } from './account-mail.ts';
import { AccountService } from './account.service.ts';
import { AddressBookService } from './address-book.service.ts';
import { AddressRepository } from './address.repository.ts';
import { AuthService } from './auth.service.ts';
import type { UsersContext } from './context.ts';
import type { UsersKeys } from './keys.ts';
import {
  DEFAULT_LOGIN_THROTTLE,
  LoginThrottle,
  type LoginThrottleOptions,
} from './login-throttle.ts';
import { createUserLoaders } from './loaders.ts';
import { DEFAULT_MAIL_THROTTLE, MailThrottle, type MailThrottleOptions } from './mail-throttle.ts';
import { createDummyVerifier, type ScryptParameters } from './password.ts';
import { resolvers } from './resolvers.ts';
import { UserRepository } from './user.repository.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export const JWKS_PATH = '/.well-known/jwks.json';
/** The development mailbox (GET, `?to=<address>`), served outside production with the development mailer. */
const DEV_MAIL_PATH = '/dev/mail';

export interface UsersAppDeps {
  db: Db;
  cache: Cache;
  keys: UsersKeys;
  jwt: TokenAudience;
  scrypt: ScryptParameters;
  logger: Logger;
  showInternalErrors: boolean;
  loginThrottle?: LoginThrottleOptions;
  mailThrottle?: MailThrottleOptions;
  accessTokenTtlSeconds?: number;
  /** Lifetimes of the mailed tokens (config.accounts). */
  lifetimes: AccountTokenLifetimes;
  /** The development mailer, when it is the one in use and the deployment is not production. */
  devMailbox?: DevelopmentMailer;
}

/** The users subgraph wired from its backends; `start()` and the tests both serve it with startSubgraphServer. */
export function createUsersApp(deps: UsersAppDeps): SubgraphServerOptions<UsersContext> {
  const users = new UserRepository(deps.db);
  const addresses = new AddressRepository(deps.db);
  const loginThrottle = new LoginThrottle(deps.cache, deps.loginThrottle ?? DEFAULT_LOGIN_THROTTLE);
  const authDeps = {
    users,
    tokens: createAccessTokenIssuer(deps.keys.current, {
      ...deps.jwt,
      ttlSeconds: deps.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS,
    }),
    throttle: loginThrottle,
    scrypt: deps.scrypt,
    // Shared by every request: it hashes its random password once.
    dummyVerify: createDummyVerifier(deps.scrypt),
    lifetimes: deps.lifetimes,
  };
  const accountDeps = {
    users,
    mailThrottle: new MailThrottle(deps.cache, deps.mailThrottle ?? DEFAULT_MAIL_THROTTLE),
    loginThrottle,
    scrypt: deps.scrypt,
    lifetimes: deps.lifetimes,
  };
  const jwksBody = deps.keys.jwks;
  return {
    name: 'users',
    typeDefs,
    resolvers,
    // The users service holds its own public keys: it verifies against them without fetching its JWKS.
    verifier: createLocalTokenVerifier(deps.keys.jwks, deps.jwt),
    logger: deps.logger,
    showInternalErrors: deps.showInternalErrors,
    context: (base) => {
      const loaders = createUserLoaders(users, addresses);
      return {
        ...base,
        auth: new AuthService(authDeps, loaders),
        account: new AccountService(accountDeps, loaders),
        addressBook: new AddressBookService(deps.db, addresses, loaders),
      };
    },
    routes: {
      [JWKS_PATH]: (_req, res) => {
        // Verifiers cache it themselves and refetch on an unknown kid; a short max-age suits a rotation.
        res.setHeader('cache-control', 'public, max-age=300');
        sendJson(res, 200, jwksBody);
      },
      ...(deps.devMailbox ? { [DEV_MAIL_PATH]: devMailRoute(deps.devMailbox) } : {}),
    },
    readiness: async () => {
      await deps.db.$queryRaw`SELECT 1`;
      await deps.cache.get('users:readiness');
    },
  };
}

/** `GET /dev/mail?to=<address>`: the development mailer's newest messages, as JSON. */
function devMailRoute(mailbox: DevelopmentMailer): RouteHandler {
  return async (req, res) => {
    const to = new URL(req.url ?? '/', 'http://localhost').searchParams.get('to');
    const messages = await mailbox.list(to ? { to: to.trim().toLowerCase() } : {});
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 200, { messages });
  };
}

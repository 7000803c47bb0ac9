import { generateSigningKey, jwksOf, type SigningKey } from '@microshop/auth';
import { createCache, type Cache } from '@microshop/cache';
import type { Db } from '@microshop/db';
import { createLogger, startSubgraphServer, type RunningServer } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  type TestDatabase,
} from '@microshop/testing';
import { createUsersApp, JWKS_PATH } from '../src/app.ts';
import type { AccountTokenLifetimes, AccountTokenPurpose } from '../src/account-mail.ts';
import type { LoginThrottleOptions } from '../src/login-throttle.ts';
import type { MailThrottleOptions } from '../src/mail-throttle.ts';
import type { ScryptParameters } from '../src/password.ts';

/** Cheap hashing keeps these files fast on a shared machine; the code path is the production one. */
const TEST_SCRYPT: ScryptParameters = { logN: 10, r: 8, p: 1 };

export const issuer = 'microshop';
export const audience = 'microshop-api';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  body: {
    data?: TData | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

export interface UsersUnderTest {
  server: RunningServer;
  database: TestDatabase;
  cache: Cache;
  key: SigningKey;
  jwksUrl: string;
  gql<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /**
   * The tokens mailed to `email` for `purpose`, newest first, as the mail relay would read them:
   * from the AccountEmailRequested events in the outbox.
   */
  mailedTokens(email: string, purpose: AccountTokenPurpose): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The users subgraph on a random port over a fresh PostgreSQL schema and its own Redis
 * namespace: each test file gets isolated state and can run in parallel with the others.
 */
export async function startUsersForTest(
  options: {
    loginThrottle?: LoginThrottleOptions;
    mailThrottle?: MailThrottleOptions;
    lifetimes?: AccountTokenLifetimes;
    db?: (database: TestDatabase) => Db;
  } = {},
): Promise<UsersUnderTest> {
  const database = await createTestDatabase();
  const cache = await createCache({
    redis: { kind: 'redis', url: requireBackend('REDIS_URL') },
    namespace: testNamespace('users'),
  });
  const { key } = await generateSigningKey();
  const server = await startSubgraphServer(
    createUsersApp({
      db: options.db?.(database) ?? database.prisma,
      cache,
      keys: { current: key, jwks: jwksOf([key.publicJwk]) },
      jwt: { issuer, audience },
      scrypt: TEST_SCRYPT,
      logger: createLogger('users-test', { logLevel: 'silent' }),
      showInternalErrors: true,
      ...(options.loginThrottle ? { loginThrottle: options.loginThrottle } : {}),
      ...(options.mailThrottle ? { mailThrottle: options.mailThrottle } : {}),
      lifetimes: options.lifetimes ?? {
        passwordResetTtlSeconds: 3600,
        emailVerificationTtlSeconds: 3600,
      },
    }),
    { port: 0, host: '127.0.0.1' },
  );
  return {
    server,
    database,
    cache,
    key,
    jwksUrl: server.url.replace(/\/graphql$/, JWKS_PATH),
    async gql<TData>(
      query: string,
      variables: Record<string, unknown> = {},
      headers: Record<string, string> = {},
    ) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        body: (await response.json()) as GraphQLResponse<TData>['body'],
      };
    },
    async mailedTokens(email, purpose) {
      const rows = await database.prisma.outboxEvent.findMany({
        where: { type: 'AccountEmailRequested' },
        orderBy: { sequence: 'desc' },
      });
      return rows
        .map(
          (row) =>
            (row.envelope as { payload: { email: string; purpose: string; token: string } })
              .payload,
        )
        .filter((mail) => mail.email === email && mail.purpose === purpose)
        .map((mail) => mail.token);
    },
    async close() {
      await server.close();
      await cache.close();
      await database.drop();
    },
  };
}

export const AUTH_FIELDS =
  'accessToken refreshToken expiresIn user { id email name role createdAt } userErrors { field message code }';

export interface AuthPayloadShape {
  accessToken: string | null;
  refreshToken: string | null;
  expiresIn: number | null;
  user: { id: string; email: string; name: string; role: string; createdAt: string } | null;
  userErrors: Array<{ field: string[] | null; message: string; code: string }>;
}

export const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { ${AUTH_FIELDS} } }`;
export const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { ${AUTH_FIELDS} } }`;
export const REFRESH = `mutation ($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_FIELDS} } }`;
export const LOG_OUT = `mutation ($token: String!) { logOut(refreshToken: $token) }`;
export const ME = '{ me { id email name role createdAt } }';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

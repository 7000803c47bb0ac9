import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@microshop/auth';
import { loadConfig } from '@microshop/config';
import { createLogger } from '@microshop/runtime';
import {
  createTestDatabase,
  requireBackend,
  testNamespace,
  type TestDatabase,
  waitFor,
} from '@microshop/testing';
import { ensureAdmin } from '../src/admin.ts';
import { verifyPassword } from '../src/password.ts';
import { start } from '../src/start.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cheap = { logN: 10, r: 8, p: 1 };
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'users-start-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('start(config, logger)', () => {
  it('serves the subgraph and its JWKS from configuration, and closes everything', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: requireBackend('REDIS_URL'),
      NAMESPACE: testNamespace('users'),
      USERS_PORT: '0',
      DATA_DIR: dataDir,
    });
    const server = await start(config, createLogger('users', { logLevel: 'silent' }));
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query:
            'mutation { signUp(input: { email: "started@example.com", password: "Started-passw0rd", name: "S" }) { accessToken user { id } userErrors { code } } }',
        }),
      });
      const { data } = (await response.json()) as {
        data: { signUp: { accessToken: string; user: { id: string } } };
      };
      const jwksUrl = `http://127.0.0.1:${server.port}/.well-known/jwks.json`;
      const verifier = createTokenVerifier({ ...config.jwt, jwksUrl });
      expect(await verifier.verify(data.signUp.accessToken)).toEqual({
        userId: data.signUp.user.id,
        role: 'CUSTOMER',
        sessionId: expect.any(String),
      });
      // The sign-up's verification mail went outbox -> relay -> bus -> mail consumer -> mailer.
      const mail = await waitFor('the verification mail in the development mailbox', async () => {
        const mailbox = await fetch(
          `http://127.0.0.1:${server.port}/dev/mail?to=started@example.com`,
        );
        const { messages } = (await mailbox.json()) as {
          messages: { subject: string; text: string }[];
        };
        return messages[0];
      });
      expect(mail.subject).toBe('Confirm your email address for MicroShop');
      expect(mail.text).toMatch(/http:\/\/localhost:3000\/verify-email\?token=[\w-]{43}/);
    } finally {
      await server.close();
    }
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('refuses to start without a PostgreSQL URL, saying what to do', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    await expect(start(config, createLogger('users', { logLevel: 'silent' }))).rejects.toThrow(
      /DATABASE_URL.*npm start/,
    );
  });
});

describe('admin account', () => {
  it('is created once with a generated password, never overwritten', async () => {
    const first = await ensureAdmin(database.prisma, { email: 'Boss@Example.com', scrypt: cheap });
    expect(first).toEqual({
      created: true,
      generatedPassword: expect.stringMatching(/^[\w-]{32}$/),
    });
    const row = await database.prisma.user.findUniqueOrThrow({
      where: { email: 'boss@example.com' },
    });
    expect(row.role).toBe('ADMIN');
    expect(await verifyPassword(first.generatedPassword!, row.passwordHash)).toBe(true);

    expect(
      await ensureAdmin(database.prisma, {
        email: 'boss@example.com',
        password: 'Another-passw0rd',
        scrypt: cheap,
      }),
    ).toEqual({ created: false });
    const unchanged = await database.prisma.user.findUniqueOrThrow({
      where: { email: 'boss@example.com' },
    });
    expect(unchanged.passwordHash).toBe(row.passwordHash);
  });

  it('refuses a weak given password', async () => {
    await expect(
      ensureAdmin(database.prisma, { email: 'weak@example.com', password: 'short', scrypt: cheap }),
    ).rejects.toThrow(/Admin password refused/);
    expect(await database.prisma.user.count({ where: { email: 'weak@example.com' } })).toBe(0);
  });

  function createAdmin(args: string[], env: Record<string, string>, stdin: string) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/create-admin.ts', ...args],
        {
          cwd: repoRoot,
          env: {
            PATH: process.env.PATH ?? '',
            NODE_ENV: 'test',
            DATABASE_URL: database.url,
            LOG_LEVEL: 'silent',
            ...env,
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  it('npm run create-admin takes the password from standard input or MICROSHOP_ADMIN_PASSWORD, never the command line', async () => {
    const [refused, fromStdin, fromEnv] = await Promise.all([
      createAdmin(['--email', 'cli@example.com', '--password', 'Cli-passw0rd-1'], {}, ''),
      createAdmin(['--email', 'ops@example.com'], {}, 'Stdin-passw0rd-1\n'),
      createAdmin(
        ['--email', 'env@example.com'],
        { MICROSHOP_ADMIN_PASSWORD: 'Env-passw0rd-1' },
        '',
      ),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--password is not accepted');
    expect(await database.prisma.user.count({ where: { email: 'cli@example.com' } })).toBe(0);

    for (const [result, email, password] of [
      [fromStdin, 'ops@example.com', 'Stdin-passw0rd-1'],
      [fromEnv, 'env@example.com', 'Env-passw0rd-1'],
    ] as const) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const row = await database.prisma.user.findUniqueOrThrow({ where: { email } });
      expect(row.role).toBe('ADMIN');
      expect(await verifyPassword(password, row.passwordHash)).toBe(true);
    }
  }, 180_000);
});

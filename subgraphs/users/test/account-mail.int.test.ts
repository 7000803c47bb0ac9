import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@microshop/config';
import {
  createEventBus,
  groupId,
  startEventConsumer,
  startOutboxRelay,
  type EventBus,
  type OutboxRelay,
  type Subscription,
} from '@microshop/events';
import { DevelopmentMailer, type Mailer, type MailMessage } from '@microshop/mail';
import { createLogger } from '@microshop/runtime';
import { createTestDatabase, testNamespace, waitFor, type TestDatabase } from '@microshop/testing';
import { CheckoutAddresses } from '../src/address-book.service.ts';
import { AddressRepository } from '../src/address.repository.ts';
import { AccountMailDelivery, pendingAccountMail } from '../src/account-mail.ts';
import { consumers, outboxSource, USERS_MAIL_CONSUMER_GROUP } from '../src/events.ts';
import { UserRepository } from '../src/user.repository.ts';

/**
 * Account mail through the real event machinery (outbox -> relay -> Postgres-log bus -> the
 * users-mail consumer): a Mailer that fails is retried until it succeeds, one that keeps failing
 * leaves a dead letter, and nothing is lost either way.
 */

const logger = createLogger('users-test', { logLevel: 'silent' });
const LIFETIMES = { passwordResetTtlSeconds: 3600, emailVerificationTtlSeconds: 3600 };

let database: TestDatabase;
let bus: EventBus;
let relay: OutboxRelay;
let users: UserRepository;
let mailbox: DevelopmentMailer;

/** The development mailer behind a switch: while `failuresLeft` > 0, each send fails. */
const flaky = { failuresLeft: 0, attempts: 0 };
const flakyMailer: Mailer = {
  kind: 'development',
  init: async () => {},
  close: async () => {},
  async send(message: MailMessage) {
    flaky.attempts += 1;
    if (flaky.failuresLeft > 0) {
      flaky.failuresLeft -= 1;
      throw new Error('SMTP server unavailable');
    }
    await mailbox.send(message);
  },
};

let subscription: Subscription;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    NAMESPACE: testNamespace('mail'),
  });
  bus = await createEventBus(config, { db: database.prisma, logger });
  relay = await startOutboxRelay({ db: database.prisma, bus, source: outboxSource, logger });
  users = new UserRepository(database.prisma);
  mailbox = new DevelopmentMailer(database.prisma);
  const delivery = new AccountMailDelivery({
    mailer: flakyMailer,
    users,
    storefrontUrl: 'https://shop.example',
  });
  // The first consumer is the mail one; the address book's is listed beside it.
  const [spec] = consumers({
    mail: delivery.handleAccountEmailRequested,
    orders: new CheckoutAddresses(new AddressRepository(database.prisma)).handleOrderEvent,
  });
  subscription = await startEventConsumer({
    bus,
    db: database.prisma,
    logger,
    ...spec!,
    retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
  });
});

afterAll(async () => {
  await subscription?.close();
  await relay?.close();
  await bus?.close();
  await database?.drop();
});

async function requestReset(email: string): Promise<void> {
  const user = await users.create({ email, name: 'Ada', passwordHash: 'unused', role: 'CUSTOMER' });
  await users.requestAccountMail(
    user.id,
    pendingAccountMail(user, 'PASSWORD_RESET', LIFETIMES, undefined),
  );
}

describe('account mail delivery', () => {
  it('retries a failing Mailer and then delivers the mail once', async () => {
    flaky.failuresLeft = 2;
    flaky.attempts = 0;
    await requestReset('retried@example.com');
    const [mail] = await waitFor('the retried mail', async () => {
      const mails = await mailbox.list({ to: 'retried@example.com' });
      return mails.length > 0 ? mails : undefined;
    });
    expect(mail!.subject).toBe('Reset your MicroShop password');
    expect(flaky.attempts).toBe(3);
    expect(await mailbox.list({ to: 'retried@example.com' })).toHaveLength(1);
    expect(await database.prisma.deadLetter.count()).toBe(0);
  });

  it('dead-letters the request when the Mailer keeps failing, keeping the token unsent', async () => {
    flaky.failuresLeft = Number.POSITIVE_INFINITY;
    await requestReset('unlucky@example.com');
    const deadLetter = await waitFor(
      'the dead letter',
      async () => (await database.prisma.deadLetter.findFirst()) ?? undefined,
    );
    expect(deadLetter.groupId).toBe(groupId(bus.namespace, USERS_MAIL_CONSUMER_GROUP));
    expect(deadLetter.attempts).toBe(3);
    expect((deadLetter.envelope as { type: string }).type).toBe('AccountEmailRequested');
    expect(deadLetter.error).toContain('SMTP server unavailable');
    expect(await mailbox.list({ to: 'unlucky@example.com' })).toEqual([]);
    flaky.failuresLeft = 0;
  });
});

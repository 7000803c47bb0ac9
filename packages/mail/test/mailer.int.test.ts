import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@microshop/testing';
import { createMailer, DevelopmentMailer, type Mailer, type MailMessage } from '../src/index.ts';

const FROM = 'MicroShop <no-reply@shop.test>';

/** A real SMTP server on a free local port that keeps what it receives, parsed. */
async function startSmtpServer(): Promise<{
  url: string;
  received: MailMessage[];
  senders: Array<{ name?: string; address?: string }>;
  close(): Promise<void>;
}> {
  const received: MailMessage[] = [];
  const senders: Array<{ name?: string; address?: string }> = [];
  const server = new SMTPServer({
    // Plain SMTP on localhost: no STARTTLS to negotiate with a self-signed certificate.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'shop' && auth.password === 's3cret/pass') {
        callback(null, { user: auth.username });
      } else callback(new Error('invalid credentials'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@refused.test')) {
        callback(new Error('mailbox unavailable'));
      } else callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          received.push({
            to: to?.value[0]?.address ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          senders.push(mail.from?.value[0] ?? {});
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    // The password needs URL encoding, as it would in SMTP_URL.
    url: `smtp://shop:${encodeURIComponent('s3cret/pass')}@127.0.0.1:${port}`,
    received,
    senders,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let database: TestDatabase;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpServer();
});

afterAll(async () => {
  await smtp?.close();
  await database?.drop();
});

/** One contract, both implementations: what a caller of `send` may rely on. */
const implementations: Array<{
  name: 'smtp' | 'development';
  mailer: () => Promise<Mailer>;
  /** What reached the other side, oldest first. */
  delivered: (mailer: Mailer) => Promise<MailMessage[]>;
}> = [
  {
    name: 'smtp',
    mailer: () =>
      createMailer(
        { mail: { transport: { kind: 'smtp', url: smtp.url }, from: FROM } },
        { db: database.prisma },
      ),
    delivered: async () => smtp.received,
  },
  {
    name: 'development',
    mailer: () =>
      createMailer(
        { mail: { transport: { kind: 'development' }, from: FROM } },
        { db: database.prisma },
      ),
    delivered: async (mailer) =>
      ((await (mailer as DevelopmentMailer).list()) as MailMessage[])
        .map(({ to, subject, text }) => ({ to, subject, text }))
        .reverse(),
  },
];

describe.each(implementations)('Mailer contract: $name', ({ name, mailer: open, delivered }) => {
  let mailer: Mailer;
  beforeAll(async () => {
    mailer = await open();
  });
  afterAll(async () => {
    await mailer?.close();
  });

  it('is the implementation the configuration chose', () => {
    expect(mailer.kind).toBe(name);
  });

  it('delivers a message intact once send resolves: recipient, subject, a long link', async () => {
    const link = `https://shop.example/reset-password?token=${'x'.repeat(43)}&from=${name}`;
    const message = {
      to: `ada-${name}@example.com`,
      subject: 'Reset your MicroShop password',
      text: `Hello Ada,\n\nopen ${link} within an hour.\n`,
    };
    await mailer.send(message);
    const found = (await delivered(mailer)).filter((mail) => mail.to === message.to);
    expect(found).toHaveLength(1);
    expect(found[0]!.subject).toBe(message.subject);
    expect(found[0]!.text).toContain(link);
  });

  it('delivers each of several messages, in the order they were sent', async () => {
    const to = `grace-${name}@example.com`;
    for (const n of [1, 2, 3])
      await mailer.send({ to, subject: `message ${n}`, text: `body ${n}` });
    const subjects = (await delivered(mailer))
      .filter((mail) => mail.to === to)
      .map((mail) => mail.subject);
    expect(subjects).toEqual(['message 1', 'message 2', 'message 3']);
  });
});

describe('SMTP mailer', () => {
  it('sends from MAIL_FROM', () => {
    expect(smtp.senders.length).toBeGreaterThan(0);
    expect(smtp.senders[0]).toEqual({ name: 'MicroShop', address: 'no-reply@shop.test' });
  });

  it('rejects send when the server refuses the recipient, so the caller retries', async () => {
    const mailer = await createMailer(
      { mail: { transport: { kind: 'smtp', url: smtp.url }, from: FROM } },
      { db: database.prisma },
    );
    try {
      await expect(
        mailer.send({ to: 'nobody@refused.test', subject: 'x', text: 'y' }),
      ).rejects.toThrow();
      expect(smtp.received.some((mail) => mail.to === 'nobody@refused.test')).toBe(false);
    } finally {
      await mailer.close();
    }
  });

  it('fails at start with wrong credentials instead of at the first mail', async () => {
    const wrong = smtp.url.replace(encodeURIComponent('s3cret/pass'), 'wrong');
    await expect(
      createMailer(
        { mail: { transport: { kind: 'smtp', url: wrong }, from: FROM } },
        { db: database.prisma },
      ),
    ).rejects.toThrow();
  });
});

describe('development mailer', () => {
  it('lists one recipient’s messages, newest first', async () => {
    const mailer = new DevelopmentMailer(database.prisma);
    await mailer.send({ to: 'one@example.com', subject: 'first', text: 'a' });
    await mailer.send({ to: 'two@example.com', subject: 'other', text: 'b' });
    await mailer.send({ to: 'one@example.com', subject: 'second', text: 'c' });
    const listed = await mailer.list({ to: 'one@example.com' });
    expect(listed.map((mail) => mail.subject)).toEqual(['second', 'first']);
    expect(listed[0]!.sentAt).toBeInstanceOf(Date);
  });
});

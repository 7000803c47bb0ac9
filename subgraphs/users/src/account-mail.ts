import { createEvent, type ConsumedEventHandler, type DomainEvent } from '@microshop/events';
import type { Mailer, MailMessage } from '@microshop/mail';
import { hashOpaqueToken, newOpaqueToken } from './opaque-token.ts';
import type { UserRepository } from './user.repository.ts';

export type AccountTokenPurpose = 'PASSWORD_RESET' | 'EMAIL_VERIFICATION';

/** How long each kind of mailed token works (config.accounts). */
export interface AccountTokenLifetimes {
  passwordResetTtlSeconds: number;
  emailVerificationTtlSeconds: number;
}

/**
 * A freshly minted account token: its hash and expiry for the account_tokens row, and the event
 * that has it mailed. Both are written in one transaction (UserRepository), so there is never a
 * token nobody will mail, nor a mail whose token was not stored.
 */
export interface PendingAccountMail {
  tokenHash: string;
  purpose: AccountTokenPurpose;
  expiresAt: Date;
  event: DomainEvent<'AccountEmailRequested'>;
}

export function pendingAccountMail(
  user: { id: string; email: string; name: string },
  purpose: AccountTokenPurpose,
  lifetimes: AccountTokenLifetimes,
  requestId: string | undefined,
): PendingAccountMail {
  const token = newOpaqueToken();
  const ttlSeconds =
    purpose === 'PASSWORD_RESET'
      ? lifetimes.passwordResetTtlSeconds
      : lifetimes.emailVerificationTtlSeconds;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  return {
    tokenHash: hashOpaqueToken(token),
    purpose,
    expiresAt,
    event: createEvent(
      'AccountEmailRequested',
      user.id,
      {
        userId: user.id,
        email: user.email,
        name: user.name,
        purpose,
        token,
        expiresAt: expiresAt.toISOString(),
      },
      requestId,
    ),
  };
}

type AccountEmail = DomainEvent<'AccountEmailRequested'>['payload'];

/** The message for a requested account mail; its link opens the storefront's page for the token. */
function composeAccountMail(mail: AccountEmail, storefrontUrl: string): MailMessage {
  const expires = `This link works once, until ${mail.expiresAt.replace('T', ' ').slice(0, 16)} UTC.`;
  if (mail.purpose === 'PASSWORD_RESET') {
    const link = `${storefrontUrl}/reset-password?token=${mail.token}`;
    return {
      to: mail.email,
      subject: 'Reset your MicroShop password',
      text: `Hello ${mail.name},\n\nsomeone (we hope you) asked to reset the password of your MicroShop account. To choose a new one, open:\n\n${link}\n\n${expires} If you did not ask, ignore this mail: your password stays as it is.\n`,
    };
  }
  const link = `${storefrontUrl}/verify-email?token=${mail.token}`;
  return {
    to: mail.email,
    subject: 'Confirm your email address for MicroShop',
    text: `Hello ${mail.name},\n\nplease confirm that this is your address by opening:\n\n${link}\n\n${expires}\n`,
  };
}

/**
 * Delivers account mail: the consumer of AccountEmailRequested (group `users-mail`). A failed send
 * throws, so the event machinery retries it and finally dead-letters it; a token that was used or
 * has expired meanwhile is not mailed any more.
 */
export class AccountMailDelivery {
  constructor(
    private readonly deps: { mailer: Mailer; users: UserRepository; storefrontUrl: string },
  ) {}

  handleAccountEmailRequested: ConsumedEventHandler = async (tx, event, { log }) => {
    if (event.type !== 'AccountEmailRequested') return;
    const mail = event.payload;
    if (!(await this.deps.users.isAccountTokenLive(tx, hashOpaqueToken(mail.token)))) {
      log.info({ purpose: mail.purpose }, 'account mail skipped: its token was used or expired');
      return;
    }
    await this.deps.mailer.send(composeAccountMail(mail, this.deps.storefrontUrl));
    log.info({ userId: mail.userId, purpose: mail.purpose }, 'account mail sent');
  };
}

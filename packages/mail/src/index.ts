import type { Config } from '@microshop/config';
import type { Db } from '@microshop/db';
import { DevelopmentMailer } from './development.ts';
import type { Mailer } from './ports.ts';

export type { Mailer, MailMessage, StoredMail } from './ports.ts';
export { DevelopmentMailer } from './development.ts';

/**
 * The mailer chosen by configuration, ready: SMTP when `config.mail.transport` says so (nodemailer
 * is loaded only then), otherwise the development table in `db`.
 */
export async function createMailer(
  config: Pick<Config, 'mail'>,
  deps: { db: Db },
): Promise<Mailer> {
  const { transport, from } = config.mail;
  const mailer: Mailer =
    transport.kind === 'smtp'
      ? new (await import('./smtp.ts')).SmtpMailer(transport.url, from)
      : new DevelopmentMailer(deps.db);
  await mailer.init();
  return mailer;
}

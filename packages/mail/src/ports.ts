import type { Lifecycle } from '@microshop/runtime';

/** One plain-text message to one recipient; the sender is the mailer's (MAIL_FROM). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Delivers mail. `send` resolves once the message was handed over (the SMTP server accepted it,
 * or the development table holds it) and rejects otherwise, so a caller retrying on rejection
 * delivers it at least once.
 */
export interface Mailer extends Lifecycle {
  readonly kind: 'smtp' | 'development';
  send(message: MailMessage): Promise<void>;
}

/** A message the development mailer kept. */
export interface StoredMail extends MailMessage {
  id: number;
  sentAt: Date;
}

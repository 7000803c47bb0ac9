import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from './ports.ts';

/**
 * The real mailer: SMTP through nodemailer, to the server of SMTP_URL (`smtps:` for implicit TLS;
 * nodemailer's URL options such as `?requireTLS=true` apply).
 */
export class SmtpMailer implements Mailer {
  readonly kind = 'smtp';
  private readonly transport: Transporter;

  constructor(url: string, from: string) {
    this.transport = createTransport(url, { from });
  }

  /** Connects (and authenticates) once, so a wrong SMTP_URL stops the service at start. */
  async init(): Promise<void> {
    await this.transport.verify();
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  async send(message: MailMessage): Promise<void> {
    const { rejected = [] } = await this.transport.sendMail(message);
    if (rejected.length > 0)
      throw new Error(`SMTP server rejected ${rejected.length} recipient(s)`);
  }
}

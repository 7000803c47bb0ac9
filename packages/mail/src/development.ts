import type { Db } from '@microshop/db';
import type { Mailer, MailMessage, StoredMail } from './ports.ts';

/** Most messages one read returns: the development mailbox is for reading, not for export. */
const MAX_LISTED = 100;

/**
 * The development mailer: every message is kept in the `dev_mail` table instead of being sent,
 * readable with `list` (the users subgraph serves it at GET /dev/mail outside production).
 */
export class DevelopmentMailer implements Mailer {
  readonly kind = 'development';

  constructor(private readonly db: Db) {}

  async init(): Promise<void> {}

  async close(): Promise<void> {}

  async send(message: MailMessage): Promise<void> {
    await this.db.devMail.create({
      data: { recipient: message.to, subject: message.subject, text: message.text },
    });
  }

  /** The newest messages first, to one recipient when `to` is given. */
  async list(filter: { to?: string; limit?: number } = {}): Promise<StoredMail[]> {
    const rows = await this.db.devMail.findMany({
      where: filter.to === undefined ? {} : { recipient: filter.to },
      orderBy: { id: 'desc' },
      take: Math.min(filter.limit ?? MAX_LISTED, MAX_LISTED),
    });
    return rows.map(({ recipient, ...row }) => ({ ...row, to: recipient }));
  }
}

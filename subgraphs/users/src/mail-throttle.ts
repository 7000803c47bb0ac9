import type { Cache } from '@microshop/cache';

export interface MailThrottleOptions {
  /** Account mails one address may be sent within one window. */
  maxPerEmail: number;
  /** Account mail requests one client address may make within one window (many addresses tried). */
  maxPerClientAddress: number;
  windowSeconds: number;
}

export const DEFAULT_MAIL_THROTTLE: MailThrottleOptions = {
  maxPerEmail: 3,
  maxPerClientAddress: 20,
  windowSeconds: 15 * 60,
};

/**
 * Limits requests for account mail (password reset, verification) per email address and per
 * client address in fixed windows, like the login throttle: every request counts, whether or not
 * an account has the address, so the limit itself tells nothing about which addresses exist.
 */
export class MailThrottle {
  constructor(
    private readonly cache: Cache,
    private readonly options: MailThrottleOptions = DEFAULT_MAIL_THROTTLE,
  ) {}

  /** Counts this request; false when the email or the client address is over its limit. */
  async allow(email: string, clientAddress: string | undefined): Promise<boolean> {
    const { windowSeconds } = this.options;
    const [forEmail, fromAddress] = await Promise.all([
      this.cache.increment(`users:mail-requests:email:${email}`, windowSeconds),
      clientAddress
        ? this.cache.increment(`users:mail-requests:address:${clientAddress}`, windowSeconds)
        : 0,
    ]);
    return forEmail <= this.options.maxPerEmail && fromAddress <= this.options.maxPerClientAddress;
  }
}

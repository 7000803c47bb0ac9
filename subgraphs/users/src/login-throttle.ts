import type { Cache } from '@microshop/cache';

export interface LoginThrottleOptions {
  /** Failed logIns allowed per email within one window (the next attempt is refused). */
  maxFailuresPerEmail: number;
  /** Failed logIns allowed per client address within one window: many emails tried from one place. */
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  maxFailuresPerEmail: 5,
  maxFailuresPerAddress: 50,
  windowSeconds: 15 * 60,
};

/**
 * Limits failed logIns per email and per client address in fixed windows (Redis counters, or
 * memory in the embedded default). Once a limit is reached, attempts are refused before the
 * password is checked, so guessing stops until the window ends.
 *
 * Per email, every attempt is counted atomically before the password is checked and a success
 * clears the count: a burst of parallel guesses cannot slip past the limit while the first ones
 * are still hashing. Per address only failures count, so many people behind one NAT signing in
 * successfully never lock each other out; parallel requests can exceed that wider limit by the
 * number in flight.
 */
export class LoginThrottle {
  constructor(
    private readonly cache: Cache,
    private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE,
  ) {}

  private static emailKey(email: string): string {
    return `users:login-attempts:email:${email}`;
  }

  private static addressKey(clientAddress: string): string {
    return `users:login-failures:address:${clientAddress}`;
  }

  /**
   * One password check under the limits (logIn, changePassword): refused before `verify` runs
   * while the email or the address is over its limit; `verify` answers what the right password
   * proves (e.g. the credentials) or null for a wrong one, which is counted as a failure; a right
   * one restarts the email's count.
   */
  async check<T>(
    email: string,
    clientAddress: string | undefined,
    verify: () => Promise<T | null>,
  ): Promise<{ outcome: 'throttled' } | { outcome: 'wrong' } | { outcome: 'right'; verified: T }> {
    if (!(await this.beginAttempt(email, clientAddress))) return { outcome: 'throttled' };
    const verified = await verify();
    if (verified === null) {
      await this.recordFailure(clientAddress);
      return { outcome: 'wrong' };
    }
    await this.recordSuccess(email);
    return { outcome: 'right', verified };
  }

  /** Counts this attempt; false when the email or the address is over its limit. */
  async beginAttempt(email: string, clientAddress: string | undefined): Promise<boolean> {
    const [attemptsForEmail, failuresFromAddress] = await Promise.all([
      this.cache.increment(LoginThrottle.emailKey(email), this.options.windowSeconds),
      clientAddress ? this.cache.get(LoginThrottle.addressKey(clientAddress)) : null,
    ]);
    return (
      attemptsForEmail <= this.options.maxFailuresPerEmail &&
      Number(failuresFromAddress ?? 0) < this.options.maxFailuresPerAddress
    );
  }

  async recordFailure(clientAddress: string | undefined): Promise<void> {
    if (clientAddress) {
      await this.cache.increment(
        LoginThrottle.addressKey(clientAddress),
        this.options.windowSeconds,
      );
    }
  }

  /** The email's count restarts (not the address's: one client may try many accounts). */
  async recordSuccess(email: string): Promise<void> {
    await this.cache.delete(LoginThrottle.emailKey(email));
  }
}

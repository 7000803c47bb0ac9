import type { Logger } from './logger.ts';
import { withTimeout } from './timeout.ts';

/**
 * A read version (e.g. the catalog's, which moves in the transaction of every write to its
 * tables) as of a moment after the caller asked; undefined: unknown now. What is kept under a
 * version (the gateway's answers, the catalog's product rows) is given only under that version.
 */
export interface ReadVersions {
  current(): Promise<string | undefined>;
}

/** After a failed read, how long callers are told "unknown" at once instead of waiting on another. */
const UNREADABLE_PAUSE_MS = 1_000;
/** A read slower than this counts as failed: the caller reads through instead of waiting. */
const READ_TIMEOUT_MS = 1_000;

/**
 * Reads of a version that callers asking within one turn of the event loop share: the read starts
 * on the next turn, after all of them asked, so each gets a version at least as new as the moment
 * it asked (a read already on the wire is never joined: it may predate a write the caller saw).
 * A failed or slow read (READ_TIMEOUT_MS) makes the version unknown for UNREADABLE_PAUSE_MS, so a
 * database that is down or hangs costs the requests meanwhile no wait of their own (they read
 * through, past what is kept).
 */
export function coalescedReadVersions(
  read: () => Promise<string>,
  logger: Logger,
  now: () => number = Date.now,
): ReadVersions {
  let next: Promise<string | undefined> | undefined;
  let unreadableUntil = 0;
  let lastWarning = 0;
  return {
    current() {
      if (now() < unreadableUntil) return Promise.resolve(undefined);
      next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        next = undefined;
        try {
          return await withTimeout(
            read(),
            READ_TIMEOUT_MS,
            `no answer within ${READ_TIMEOUT_MS} ms`,
          );
        } catch (error) {
          unreadableUntil = now() + UNREADABLE_PAUSE_MS;
          if (now() - lastWarning > 10_000) {
            lastWarning = now();
            logger.warn({ err: error }, 'read version unknown: what is kept under it is bypassed');
          }
          return undefined;
        }
      });
      return next;
    },
  };
}

import type { Lifecycle } from '@microshop/runtime';

/**
 * A small key-value store with expiring keys and windowed counters. Keys are namespaced by the
 * implementation (config.namespace), so callers use short, domain-level keys.
 */
export interface Cache extends Lifecycle {
  get(key: string): Promise<string | null>;
  /** Stores a value; with `ttlSeconds` it expires after that many (fractional) seconds. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Adds one to a counter and returns the new count. The first increment opens a fixed window of
   * `windowSeconds`; when it ends the counter disappears and the next increment starts at 1.
   */
  increment(key: string, windowSeconds: number): Promise<number>;
}

export type MessageHandler = (message: string) => void;

/** Fan-out of string messages to every subscriber of a channel, across processes when backed by Redis. */
export interface PubSub extends Lifecycle {
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active; the returned function ends it. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
}

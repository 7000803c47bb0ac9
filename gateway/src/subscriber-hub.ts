/**
 * In-process fan-out of "entity X changed" to the subscriptions watching X on this gateway
 * instance, one hub per live field. Every instance is fed every event (its own consumer group), so
 * a subscriber is served by whichever instance holds its socket.
 */
export class SubscriberHub {
  private readonly watchers = new Map<string, Set<() => void>>();

  /** Calls `listener` on every change of `key` until the returned function is called. */
  watch(key: string, listener: () => void): () => void {
    let listeners = this.watchers.get(key);
    if (!listeners) {
      listeners = new Set();
      this.watchers.set(key, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.watchers.get(key) === listeners) this.watchers.delete(key);
    };
  }

  notify(key: string): void {
    const listeners = this.watchers.get(key);
    if (!listeners) return;
    for (const listener of listeners) listener();
  }

  /** Keys with at least one subscriber here. */
  get watchedKeys(): number {
    return this.watchers.size;
  }
}

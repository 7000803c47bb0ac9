/**
 * In-process fan-out of "order X changed" to the subscriptions watching X on this gateway
 * instance. Every instance is fed every status event (its own consumer group), so a subscriber
 * is served by whichever instance holds its socket.
 */
export class OrderStatusHub {
  private readonly watchers = new Map<string, Set<() => void>>();

  /** Calls `listener` on every change of the order until the returned function is called. */
  watch(orderId: string, listener: () => void): () => void {
    let listeners = this.watchers.get(orderId);
    if (!listeners) {
      listeners = new Set();
      this.watchers.set(orderId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.watchers.get(orderId) === listeners)
        this.watchers.delete(orderId);
    };
  }

  notify(orderId: string): void {
    const listeners = this.watchers.get(orderId);
    if (!listeners) return;
    for (const listener of listeners) listener();
  }

  /** Orders with at least one subscriber here. */
  get watchedOrders(): number {
    return this.watchers.size;
  }
}

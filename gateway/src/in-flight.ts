/**
 * Work in flight that later identical requests may join, filed by caller (their Authorization
 * header, '' when anonymous) and by what was asked. A caller's write ends the joining for that
 * caller: what is in flight may have started before the write, and a query sent after a write
 * must see it (read your writes), so it runs afresh. Those already waiting keep their answer.
 */
export class InFlightByCaller<T> {
  private readonly byCaller = new Map<string, Map<string, T>>();

  get(caller: string, key: string): T | undefined {
    return this.byCaller.get(caller)?.get(key);
  }

  /** Files `value` until `settled` settles (unless the caller's writes have dropped it before). */
  track(caller: string, key: string, value: T, settled: Promise<unknown>): void {
    let entries = this.byCaller.get(caller);
    if (!entries) {
      entries = new Map();
      this.byCaller.set(caller, entries);
    }
    entries.set(key, value);
    const forget = () => {
      const current = this.byCaller.get(caller);
      // A newer entry may stand under the same key once a write dropped this one.
      if (current?.get(key) !== value) return;
      current.delete(key);
      if (current.size === 0) this.byCaller.delete(caller);
    };
    settled.then(forget, forget);
  }

  /** Ends the joining of everything in flight for `caller`, once `write` has settled. */
  afterWrite(caller: string, write: Promise<unknown>): void {
    const forget = () => this.byCaller.delete(caller);
    write.then(forget, forget);
  }
}

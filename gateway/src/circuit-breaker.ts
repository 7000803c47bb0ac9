export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before it lets one probe through. */
  cooldownMs: number;
  /** Told of every change of state (for logs and the breaker-state gauge). */
  onStateChange?: (state: CircuitState) => void;
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
}

/**
 * One subgraph's circuit breaker. Closed: every call goes through, and `failureThreshold`
 * consecutive failures open it. Open: calls are refused without touching the subgraph, so a dead
 * subgraph costs nothing but a branch, until `cooldownMs` has passed. Half-open: exactly one call
 * (the probe) goes through while the others are still refused; its success closes the circuit, its
 * failure opens it for another cool-down.
 *
 * Every call that `tryAcquire()` admits must be reported once, with `succeeded()` or `failed()`.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? performance.now.bind(performance);
  }

  get state(): CircuitState {
    return this.current;
  }

  /** Whether a call may go to the subgraph now. */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'half-open') return false;
    if (this.now() - this.openedAt < this.options.cooldownMs) return false;
    this.transition('half-open');
    return true;
  }

  /** The subgraph answered (whatever it answered, it is up). */
  succeeded(): void {
    this.consecutiveFailures = 0;
    if (this.current !== 'closed') this.transition('closed');
  }

  /** The subgraph could not be reached, timed out or answered 5xx. */
  failed(): void {
    this.consecutiveFailures += 1;
    if (
      this.current === 'half-open' ||
      (this.current === 'closed' && this.consecutiveFailures >= this.options.failureThreshold)
    ) {
      this.openedAt = this.now();
      this.transition('open');
    }
  }

  private transition(state: CircuitState): void {
    this.current = state;
    this.options.onStateChange?.(state);
  }
}

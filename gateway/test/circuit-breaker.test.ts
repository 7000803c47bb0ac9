import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from '../src/circuit-breaker.ts';

/** A breaker on a clock the test moves by hand, recording every change of state. */
function breaker(failureThreshold = 3, cooldownMs = 1_000) {
  let now = 0;
  const changes: CircuitState[] = [];
  const circuit = new CircuitBreaker({
    failureThreshold,
    cooldownMs,
    now: () => now,
    onStateChange: (state) => changes.push(state),
  });
  return {
    circuit,
    changes,
    advance: (ms: number) => void (now += ms),
  };
}

function failTimes(circuit: CircuitBreaker, times: number): void {
  for (let call = 0; call < times; call += 1) {
    expect(circuit.tryAcquire()).toBe(true);
    circuit.failed();
  }
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold, and a success resets the count', () => {
    const { circuit, changes } = breaker(3);
    failTimes(circuit, 2);
    circuit.succeeded();
    failTimes(circuit, 2);
    expect(circuit.state).toBe('closed');
    expect(circuit.tryAcquire()).toBe(true);
    expect(changes).toEqual([]);
  });

  it('opens after the threshold of consecutive failures and refuses calls during the cool-down', () => {
    const { circuit, changes, advance } = breaker(3, 1_000);
    failTimes(circuit, 3);
    expect(circuit.state).toBe('open');
    expect(changes).toEqual(['open']);
    expect(circuit.tryAcquire()).toBe(false);
    advance(999);
    expect(circuit.tryAcquire()).toBe(false);
    expect(circuit.state).toBe('open');
  });

  it('lets exactly one probe through once the cool-down is over', () => {
    const { circuit, changes, advance } = breaker(1, 1_000);
    failTimes(circuit, 1);
    advance(1_000);
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.state).toBe('half-open');
    // While the probe is out, everyone else is still refused, however long it takes.
    expect(circuit.tryAcquire()).toBe(false);
    advance(60_000);
    expect(circuit.tryAcquire()).toBe(false);
    expect(changes).toEqual(['open', 'half-open']);
  });

  it('closes when the probe succeeds', () => {
    const { circuit, changes, advance } = breaker(2, 500);
    failTimes(circuit, 2);
    advance(500);
    expect(circuit.tryAcquire()).toBe(true);
    circuit.succeeded();
    expect(circuit.state).toBe('closed');
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.tryAcquire()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
    // Closed again from zero: one failure is below the threshold.
    circuit.failed();
    expect(circuit.state).toBe('closed');
  });

  it('opens again for a whole cool-down when the probe fails', () => {
    const { circuit, changes, advance } = breaker(2, 500);
    failTimes(circuit, 2);
    advance(500);
    expect(circuit.tryAcquire()).toBe(true);
    advance(200);
    circuit.failed();
    expect(circuit.state).toBe('open');
    advance(499);
    expect(circuit.tryAcquire()).toBe(false);
    advance(1);
    expect(circuit.tryAcquire()).toBe(true);
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open']);
  });

  it('counts failures reported late, after the circuit opened, without reopening it', () => {
    const { circuit, changes, advance } = breaker(2, 500);
    // Three calls admitted while closed, failing one after the other.
    expect([circuit.tryAcquire(), circuit.tryAcquire(), circuit.tryAcquire()]).toEqual([
      true,
      true,
      true,
    ]);
    circuit.failed();
    circuit.failed();
    circuit.failed();
    expect(changes).toEqual(['open']);
    advance(500);
    expect(circuit.tryAcquire()).toBe(true);
    expect(circuit.state).toBe('half-open');
  });
});

import { describe, expect, it } from 'vitest';
import { createLogger } from '@microshop/runtime';
import { createEvent } from '../src/index.ts';
import { backoffDelay, deliver, type DeadLetter, type DeliverOptions } from '../src/delivery.ts';

const logger = createLogger('delivery-test', { logLevel: 'silent' });
const retry = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
const event = createEvent('ProductChanged', 'product-1', { productId: 'product-1' });

function options(overrides: Partial<DeliverOptions>): DeliverOptions & { letters: DeadLetter[] } {
  const letters: DeadLetter[] = [];
  return {
    raw: JSON.stringify(event),
    delivery: { topic: 'catalog', key: 'product-1' },
    handler: async () => undefined,
    retry,
    logger,
    signal: new AbortController().signal,
    deadLetter: async (letter) => {
      letters.push(letter);
    },
    letters,
    ...overrides,
  };
}

describe('deliver', () => {
  it('backs off exponentially up to the cap', () => {
    const policy = { attempts: 9, initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('hands the parsed event to the handler', async () => {
    const seen: unknown[] = [];
    const run = options({
      handler: async (received, delivery) => void seen.push([received, delivery.attempt]),
    });
    expect(await deliver(run)).toBe('handled');
    expect(seen).toEqual([[event, 1]]);
    expect(run.letters).toEqual([]);
  });

  it('dead-letters text that is not JSON without calling the handler', async () => {
    let calls = 0;
    const run = options({ raw: '{not json', handler: async () => void (calls += 1) });
    expect(await deliver(run)).toBe('dead-lettered');
    expect(calls).toBe(0);
    expect(run.letters).toEqual([{ error: expect.stringMatching(/JSON/), attempts: 0 }]);
  });

  it('dead-letters an unknown event type', async () => {
    const run = options({ raw: { ...event, type: 'Nonsense' } });
    expect(await deliver(run)).toBe('dead-lettered');
    expect(run.letters).toEqual([{ error: 'unknown event type Nonsense', attempts: 0 }]);
  });

  it('retries a failing handler, then dead-letters it with the last error', async () => {
    const attempts: number[] = [];
    const run = options({
      handler: async (_, delivery) => {
        attempts.push(delivery.attempt);
        throw new Error(`failure ${delivery.attempt}`);
      },
    });
    expect(await deliver(run)).toBe('dead-lettered');
    expect(attempts).toEqual([1, 2, 3]);
    expect(run.letters).toEqual([{ error: 'failure 3', attempts: 3 }]);
  });

  it('gives up without dead-lettering when the consumer stops during a backoff', async () => {
    const stop = new AbortController();
    const run = options({
      retry: { attempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      signal: stop.signal,
      handler: async () => {
        setTimeout(() => stop.abort(), 10);
        throw new Error('fails');
      },
    });
    expect(await deliver(run)).toBe('interrupted');
    expect(run.letters).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createEvent, parseEvent } from '../src/index.ts';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const event = createEvent('ProductChanged', 'product-1', { productId: 'product-1' });

/** The envelope as a consumer reads it off the bus: JSON text. */
const overTheWire = (envelope: object): unknown => JSON.parse(JSON.stringify(envelope));

describe('the envelope trace context', () => {
  it('is carried through when present', () => {
    expect(parseEvent(overTheWire({ ...event, traceparent: TRACEPARENT })).traceparent).toBe(
      TRACEPARENT,
    );
  });

  it('is optional: an event written without it (or before it existed) is still valid', () => {
    const parsed = parseEvent(overTheWire(event));
    expect(parsed).toEqual(event);
    expect(parsed.traceparent).toBeUndefined();
  });

  it('is dropped when malformed, never a reason to refuse the event', () => {
    for (const traceparent of [
      'not-a-trace',
      42,
      `${TRACEPARENT}-extra`,
      TRACEPARENT.toUpperCase(),
    ]) {
      const parsed = parseEvent(overTheWire({ ...event, traceparent }));
      expect(parsed.id).toBe(event.id);
      expect(parsed.traceparent).toBeUndefined();
    }
  });
});

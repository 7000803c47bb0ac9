import { describe, expect, it } from 'vitest';
import { decodeSortedCursor, encodeSortedCursor } from '../src/pagination.ts';

/** The cursor of a sorted list names its order: accepted in it, refused in any other. */
describe('sorted cursors', () => {
  const byPrice = { key: 'PRICE', descending: true };

  it('gives back the value and id it was made from, in its own order', () => {
    const cursor = encodeSortedCursor(byPrice, { value: 1_250, id: 'a1' });
    expect(decodeSortedCursor(byPrice, cursor)).toEqual({ value: 1_250, id: 'a1' });
  });

  it('refuses a cursor of another key or direction, and anything that is not one', () => {
    const cursor = encodeSortedCursor(byPrice, { value: 1_250, id: 'a1' });
    expect(decodeSortedCursor({ key: 'PRICE', descending: false }, cursor)).toBeUndefined();
    expect(decodeSortedCursor({ key: 'NAME', descending: true }, cursor)).toBeUndefined();
    const twoParts = Buffer.from(JSON.stringify([1_250, 'a1'])).toString('base64url');
    for (const garbage of ['', 'not base64 json', twoParts])
      expect(decodeSortedCursor(byPrice, garbage)).toBeUndefined();
  });
});

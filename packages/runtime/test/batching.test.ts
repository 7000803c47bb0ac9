import { describe, expect, it } from 'vitest';
import { groupedBy } from '../src/batching.ts';

describe('groupedBy', () => {
  it("answers each key's rows in the keys' order, rows in query order, an empty list for none", () => {
    const rows = [
      { owner: 'b', n: 1 },
      { owner: 'a', n: 2 },
      { owner: 'b', n: 3 },
      { owner: 'z', n: 4 }, // a key nobody asked for
    ];
    expect(groupedBy(['a', 'b', 'c'], rows, (row) => row.owner)).toEqual([
      [{ owner: 'a', n: 2 }],
      [
        { owner: 'b', n: 1 },
        { owner: 'b', n: 3 },
      ],
      [],
    ]);
  });
});

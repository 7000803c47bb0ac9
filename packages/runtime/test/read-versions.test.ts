import { describe, expect, it } from 'vitest';
import { coalescedReadVersions, createLogger } from '../src/index.ts';

describe('coalescedReadVersions', () => {
  const logger = createLogger('runtime-test', { logLevel: 'silent' });

  it('shares one read among callers of one turn, and starts a new read for a later caller', async () => {
    let reads = 0;
    const versions = coalescedReadVersions(async () => String((reads += 1)), logger);
    const sameTurn = await Promise.all([versions.current(), versions.current()]);
    expect(sameTurn).toEqual(['1', '1']);
    expect(await versions.current()).toBe('2');
  });

  it('never gives a caller a read that was already on the wire when it asked', async () => {
    let release: (version: string) => void = () => {};
    let reads = 0;
    const versions = coalescedReadVersions(
      () =>
        new Promise<string>((resolve) => {
          reads += 1;
          release = resolve;
        }),
      logger,
    );
    const early = versions.current();
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(1);
    const late = versions.current();
    release('1');
    expect(await early).toBe('1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(2);
    release('2');
    expect(await late).toBe('2');
  });

  it('answers undefined when the version cannot be read, at once for a second, then reads again', async () => {
    let clock = 0;
    let reads = 0;
    let down = true;
    const versions = coalescedReadVersions(
      async () => {
        reads += 1;
        if (down) throw new Error('catalog down');
        return '7';
      },
      logger,
      () => clock,
    );
    expect(await versions.current()).toBeUndefined();
    down = false;
    clock = 999;
    expect(await versions.current()).toBeUndefined();
    expect(reads).toBe(1);
    clock = 1_000;
    expect(await versions.current()).toBe('7');
    expect(reads).toBe(2);
  });
});

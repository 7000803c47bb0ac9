import { describe, expect, it } from 'vitest';
import { openInOrder } from '../src/index.ts';

/** A resource that records its own closing in `log`, failing if `failure` is given. */
function resource(log: string[], name: string, failure?: Error) {
  return async () => {
    log.push(`close ${name}`);
    if (failure) throw failure;
  };
}

describe('openInOrder', () => {
  it('returns what open returned, and closes everything in reverse order', async () => {
    const log: string[] = [];
    const opened = await openInOrder(async (onClose) => {
      for (const name of ['one', 'two', 'three']) {
        log.push(`open ${name}`);
        onClose(resource(log, name));
      }
      return 42;
    });
    expect(opened.value).toBe(42);
    expect(log).toEqual(['open one', 'open two', 'open three']);

    await opened.close();
    expect(log.slice(3)).toEqual(['close three', 'close two', 'close one']);
  });

  it('closes what was opened, newest first, when a later step fails, and rethrows its error', async () => {
    const log: string[] = [];
    const failure = new Error('step 3 failed');
    const open = openInOrder(async (onClose) => {
      onClose(resource(log, 'one'));
      onClose(resource(log, 'two'));
      throw failure;
    });
    await expect(open).rejects.toBe(failure);
    expect(log).toEqual(['close two', 'close one']);
  });

  it('rethrows the failure of open, not that of a closer', async () => {
    const log: string[] = [];
    const failure = new Error('step 3 failed');
    const open = openInOrder(async (onClose) => {
      onClose(resource(log, 'one'));
      onClose(resource(log, 'two', new Error('close two failed')));
      throw failure;
    });
    await expect(open).rejects.toBe(failure);
    expect(log).toEqual(['close two', 'close one']);
  });

  it('runs every closer past a failing one, then rethrows the first failure', async () => {
    const log: string[] = [];
    const first = new Error('close three failed');
    const opened = await openInOrder(async (onClose) => {
      onClose(resource(log, 'one'));
      onClose(resource(log, 'two', new Error('close two failed')));
      onClose(resource(log, 'three', first));
    });
    await expect(opened.close()).rejects.toBe(first);
    expect(log).toEqual(['close three', 'close two', 'close one']);
  });

  it('closes once, however often close() is called', async () => {
    const log: string[] = [];
    const opened = await openInOrder(async (onClose) => {
      onClose(resource(log, 'one'));
      onClose(resource(log, 'two'));
    });
    await Promise.all([opened.close(), opened.close()]);
    await opened.close();
    expect(log).toEqual(['close two', 'close one']);
  });
});

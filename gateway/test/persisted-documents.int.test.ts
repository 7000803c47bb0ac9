import { describe, expect, it } from 'vitest';
import { createCache } from '@microshop/cache';
import { requireBackend, testNamespace } from '@microshop/testing';
import { apqCache } from '../src/persisted-documents.ts';

describe('the APQ cache over Redis', () => {
  it('treats a Redis it cannot read as a miss (the client then sends the text) and says so', async () => {
    const cache = await createCache({
      redis: { kind: 'redis', url: requireBackend('REDIS_URL') },
      namespace: testNamespace('apq'),
    });
    const warnings: unknown[] = [];
    const apq = apqCache(cache, { warn: (details: unknown) => void warnings.push(details) });
    await apq.set('apq:known', '{ __typename }');
    expect(await apq.get('apq:known')).toBe('{ __typename }');

    await cache.close();
    expect(await apq.get('apq:known')).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { MockPaymentProvider } from '../src/payment-provider.ts';

const amount = { amount: 2599, currency: 'EUR' };

describe('mock payment provider', () => {
  const provider = new MockPaymentProvider();

  it('authorizes tok_visa, the same way for the same idempotency key', async () => {
    const first = await provider.authorize({
      idempotencyKey: 'authorize:a',
      amount,
      token: 'tok_visa',
    });
    const again = await provider.authorize({
      idempotencyKey: 'authorize:a',
      amount,
      token: 'tok_visa',
    });
    const other = await provider.authorize({
      idempotencyKey: 'authorize:b',
      amount,
      token: 'tok_visa',
    });
    expect(first).toMatchObject({ approved: true });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('declines tok_chargeDeclined as a declined card', async () => {
    expect(
      await provider.authorize({
        idempotencyKey: 'authorize:c',
        amount,
        token: 'tok_chargeDeclined',
      }),
    ).toEqual({ approved: false, reason: 'card declined' });
  });

  it('declines an unknown token with a reason', async () => {
    const result = await provider.authorize({
      idempotencyKey: 'authorize:d',
      amount,
      token: 'tok_nope',
    });
    expect(result.approved).toBe(false);
    expect(result.approved === false && result.reason).toMatch(/not recognized/);
  });

  it('refuses to settle what it never authorized', async () => {
    await expect(
      provider.refund({ idempotencyKey: 'refund:e', reference: 'ch_other', amount }),
    ).rejects.toThrow(/not an authorization/);
    const authorized = await provider.authorize({
      idempotencyKey: 'authorize:e',
      amount,
      token: 'tok_visa',
    });
    if (!authorized.approved) throw new Error('expected an authorization');
    await expect(
      provider.capture({ idempotencyKey: 'capture:e', reference: authorized.reference, amount }),
    ).resolves.toBeUndefined();
  });
});

import { createHash } from 'node:crypto';

/**
 * The payment provider port. Every call carries an idempotency key derived from the order, so a
 * retried call (a redelivered event, a crash before commit) is answered like the first one and
 * never charges twice. A real provider (Stripe, Adyen...) is another implementation.
 */
export interface PaymentProvider {
  authorize(request: AuthorizationRequest): Promise<AuthorizationResult>;
  /** Charges an authorization (the order shipped). */
  capture(request: SettlementRequest): Promise<void>;
  /** Gives an authorized amount back (the order was cancelled). */
  refund(request: SettlementRequest): Promise<void>;
}

export interface Money {
  amount: number;
  currency: string;
}

export interface AuthorizationRequest {
  idempotencyKey: string;
  amount: Money;
  /** The card token the customer gave at checkout. */
  token: string;
}

export type AuthorizationResult =
  { approved: true; reference: string } | { approved: false; reason: string };

export interface SettlementRequest {
  idempotencyKey: string;
  /** The provider's reference of the authorization. */
  reference: string;
  amount: Money;
}

/** Test card tokens in the style of well-known payment providers' test tokens. */
export const MOCK_TOKENS = {
  approved: 'tok_visa',
  declined: 'tok_chargeDeclined',
} as const;

/**
 * The mock provider: `tok_visa` authorizes, `tok_chargeDeclined` is declined ("card declined"),
 * any other token is declined as unknown. Its answers are a pure function of the request (the
 * reference is derived from the idempotency key), which is exactly the guarantee a real
 * provider's idempotency keys give: the same key gets the same answer, any number of times.
 */
export class MockPaymentProvider implements PaymentProvider {
  async authorize(request: AuthorizationRequest): Promise<AuthorizationResult> {
    if (request.token === MOCK_TOKENS.approved) {
      const digest = createHash('sha256').update(request.idempotencyKey).digest('hex');
      return { approved: true, reference: `mock_auth_${digest.slice(0, 24)}` };
    }
    if (request.token === MOCK_TOKENS.declined) return { approved: false, reason: 'card declined' };
    return { approved: false, reason: 'payment token not recognized by the provider' };
  }

  async capture(request: SettlementRequest): Promise<void> {
    assertMockReference(request.reference);
  }

  async refund(request: SettlementRequest): Promise<void> {
    assertMockReference(request.reference);
  }
}

function assertMockReference(reference: string): void {
  if (!reference.startsWith('mock_auth_')) {
    throw new Error(`not an authorization of the mock provider: ${reference}`);
  }
}

import { requireAdmin } from '@microshop/auth';
import { isUniqueViolation } from '@microshop/db';
import { userError, type RequestContext, type UserError } from '@microshop/runtime';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type {
  DiscountCodeRecord,
  DiscountKind,
  DiscountRepository,
} from './discount.repository.ts';

type OrdersUserError = UserError<UserErrorCode>;

export interface DiscountCodePayload {
  discountCode: DiscountCodeRecord | null;
  userErrors: OrdersUserError[];
}

export interface CreateDiscountCodeInput {
  code: string;
  kind: DiscountKind;
  value: number;
  currency: string;
  minimumSubtotal?: number | null;
  usageLimit?: number | null;
  usageLimitPerCustomer?: number | null;
  /** A Date from the DateTime scalar. */
  expiresAt?: Date | string | null;
}

/** What decides whether a code applies to one checkout. */
export interface DiscountCheck {
  now: Date;
  currency: string;
  subtotal: number;
  /** The customer's uses of this code that were not given back. */
  usesByCustomer: number;
}

const CODE_FORMAT = /^[A-Z0-9_-]{3,40}$/;
const MAX_AMOUNT = 2 ** 31 - 1;
const CODE_FIELD = ['input', 'discountCode'];

/** Codes are stored upper case and typed in any case. */
export function normalizeDiscountCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Why `code` does not apply to a checkout, or null when it does. placeOrder asks twice: before
 * its transaction (to price the order) and inside it with the code's row locked, where the
 * answer is final.
 */
export function discountRefusal(
  code: DiscountCodeRecord | null,
  check: DiscountCheck,
): OrdersUserError | null {
  if (!code || !code.active) {
    return userError(
      UserErrorCode.DISCOUNT_CODE_NOT_FOUND,
      'There is no such discount code',
      CODE_FIELD,
    );
  }
  if (code.expiresAt && code.expiresAt.getTime() <= check.now.getTime()) {
    return userError(UserErrorCode.DISCOUNT_CODE_EXPIRED, `${code.code} has expired`, CODE_FIELD);
  }
  if (code.currency !== check.currency) {
    return userError(
      UserErrorCode.DISCOUNT_CODE_NOT_APPLICABLE,
      `${code.code} applies to carts in ${code.currency} only`,
      CODE_FIELD,
    );
  }
  if (check.subtotal < code.minimumSubtotal) {
    return userError(
      UserErrorCode.DISCOUNT_CODE_NOT_APPLICABLE,
      `${code.code} needs a subtotal of at least ${code.minimumSubtotal} (minor units of ${code.currency})`,
      CODE_FIELD,
    );
  }
  if (code.usageLimit !== null && code.timesUsed >= code.usageLimit) {
    return userError(
      UserErrorCode.DISCOUNT_CODE_USED_UP,
      `${code.code} has no uses left`,
      CODE_FIELD,
    );
  }
  if (code.usageLimitPerCustomer !== null && check.usesByCustomer >= code.usageLimitPerCustomer) {
    return userError(
      UserErrorCode.DISCOUNT_CODE_CUSTOMER_LIMIT,
      `You have used ${code.code} as often as it allows`,
      CODE_FIELD,
    );
  }
  return null;
}

function invalid(message: string, field: string): DiscountCodePayload {
  return {
    discountCode: null,
    userErrors: [userError(UserErrorCode.INVALID_DISCOUNT_CODE, message, ['input', field])],
  };
}

/** Discount codes as ADMINs manage them. */
export class DiscountService {
  constructor(private readonly repository: DiscountRepository) {}

  discountCodes(ctx: RequestContext): Promise<DiscountCodeRecord[]> {
    requireAdmin(ctx.principal);
    return this.repository.list();
  }

  async createDiscountCode(
    ctx: RequestContext,
    input: CreateDiscountCodeInput,
  ): Promise<DiscountCodePayload> {
    requireAdmin(ctx.principal);
    const code = normalizeDiscountCode(input.code);
    if (!CODE_FORMAT.test(code)) {
      return invalid('A code has 3 to 40 letters, digits, "-" or "_"', 'code');
    }
    const maxValue = input.kind === 'PERCENTAGE' ? 100 : MAX_AMOUNT;
    if (input.value < 1 || input.value > maxValue) {
      return invalid(`The value of a ${input.kind} code is 1 to ${maxValue}`, 'value');
    }
    const currency = input.currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency))
      return invalid('An ISO 4217 currency such as EUR', 'currency');
    const minimumSubtotal = input.minimumSubtotal ?? 0;
    if (minimumSubtotal < 0)
      return invalid('The minimum subtotal cannot be negative', 'minimumSubtotal');
    for (const field of ['usageLimit', 'usageLimitPerCustomer'] as const) {
      const limit = input[field];
      if (limit != null && limit < 1) return invalid('A usage limit is at least 1', field);
    }
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      return invalid('The expiry must be in the future', 'expiresAt');
    }
    try {
      const created = await this.repository.create({
        code,
        kind: input.kind,
        value: input.value,
        currency,
        minimumSubtotal,
        usageLimit: input.usageLimit ?? null,
        usageLimitPerCustomer: input.usageLimitPerCustomer ?? null,
        expiresAt,
      });
      ctx.log.info({ code, kind: input.kind }, 'discount code created');
      return { discountCode: created, userErrors: [] };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return {
        discountCode: null,
        userErrors: [
          userError(UserErrorCode.DISCOUNT_CODE_TAKEN, `${code} exists already`, ['input', 'code']),
        ],
      };
    }
  }

  async deactivateDiscountCode(ctx: RequestContext, code: string): Promise<DiscountCodePayload> {
    requireAdmin(ctx.principal);
    const deactivated = await this.repository.deactivate(normalizeDiscountCode(code));
    if (!deactivated) {
      return {
        discountCode: null,
        userErrors: [
          userError(UserErrorCode.DISCOUNT_CODE_NOT_FOUND, 'There is no such discount code', [
            'code',
          ]),
        ],
      };
    }
    ctx.log.info({ code: deactivated.code }, 'discount code deactivated');
    return { discountCode: deactivated, userErrors: [] };
  }
}

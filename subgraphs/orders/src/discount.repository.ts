import type { Db, Prisma, Tx } from '@microshop/db';

export type DiscountCodeRecord = Prisma.DiscountCodeModel;
export type DiscountKind = DiscountCodeRecord['kind'];

export interface NewDiscountCode {
  code: string;
  kind: DiscountKind;
  value: number;
  currency: string;
  minimumSubtotal: number;
  usageLimit: number | null;
  usageLimitPerCustomer: number | null;
  expiresAt: Date | null;
}

/** Discount codes and their redemptions (tables discount_codes, discount_redemptions). */
export class DiscountRepository {
  constructor(private readonly db: Db) {}

  findByCode(code: string): Promise<DiscountCodeRecord | null> {
    return this.db.discountCode.findUnique({ where: { code } });
  }

  list(): Promise<DiscountCodeRecord[]> {
    return this.db.discountCode.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  /** Throws a unique violation when the code exists already. */
  create(code: NewDiscountCode): Promise<DiscountCodeRecord> {
    return this.db.discountCode.create({ data: code });
  }

  /** Null when there is no such code. */
  async deactivate(code: string): Promise<DiscountCodeRecord | null> {
    const { count } = await this.db.discountCode.updateMany({
      where: { code },
      data: { active: false },
    });
    return count === 0 ? null : this.findByCode(code);
  }

  /**
   * Reads a code and locks its row until the transaction ends: placeOrders using one code run
   * their check-and-take one after the other, so its last use goes to exactly one of them.
   */
  async lockByCode(tx: Tx, code: string): Promise<DiscountCodeRecord | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM discount_codes WHERE code = ${code} FOR UPDATE`;
    if (locked.length === 0) return null;
    return tx.discountCode.findUnique({ where: { code } });
  }

  /** Uses of a code by one customer that were not given back. */
  usesBy(discountCodeId: string, userId: string, tx?: Tx): Promise<number> {
    return (tx ?? this.db).discountRedemption.count({
      where: { discountCodeId, userId, releasedAt: null },
    });
  }

  /** Takes one use of a locked code for an order. */
  async redeem(
    tx: Tx,
    code: DiscountCodeRecord,
    redemption: { orderId: string; userId: string; amount: number },
  ): Promise<void> {
    await tx.discountRedemption.create({ data: { ...redemption, discountCodeId: code.id } });
    await tx.discountCode.update({
      where: { id: code.id },
      data: { timesUsed: { increment: 1 } },
    });
  }

  /** Gives an order's use of its code back, once (a second call finds nothing to release). */
  async release(tx: Tx, orderId: string): Promise<void> {
    await tx.$executeRaw`
      WITH released AS (
        UPDATE discount_redemptions SET released_at = now()
        WHERE order_id = ${orderId}::uuid AND released_at IS NULL
        RETURNING discount_code_id
      )
      UPDATE discount_codes SET times_used = times_used - 1
      WHERE id IN (SELECT discount_code_id FROM released)`;
  }
}

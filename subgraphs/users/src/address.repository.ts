import type { Db, Tx } from '@microshop/db';
import type { PostalAddress } from '@microshop/addresses';

/** An address of the book, as the API shows it. */
export interface AddressRecord extends PostalAddress {
  id: string;
  userId: string;
  isDefaultShipping: boolean;
  isDefaultBilling: boolean;
  createdAt: Date;
}

export interface AddressDefaults {
  isDefaultShipping?: boolean;
  isDefaultBilling?: boolean;
}

/** The address book's one data-access layer (table user_addresses). */
export class AddressRepository {
  constructor(private readonly db: Db) {}

  /** Every address of these users, oldest first per user, in one query. */
  ofUsers(userIds: readonly string[]): Promise<AddressRecord[]> {
    return this.db.userAddress.findMany({
      where: { userId: { in: [...userIds] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /**
   * Locks the user's row until the transaction ends: changes to one book (the API's and the
   * checkout consumer's) run one after the other, so its limit and its single defaults hold.
   * False when there is no such user.
   */
  async lockBook(tx: Tx, userId: string): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    return rows.length > 0;
  }

  ofUser(tx: Tx, userId: string): Promise<AddressRecord[]> {
    return tx.userAddress.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Takes a default away from every other address of the user, before one is given it. */
  async clearDefaults(tx: Tx, userId: string, defaults: AddressDefaults): Promise<void> {
    if (defaults.isDefaultShipping) {
      await tx.userAddress.updateMany({
        where: { userId, isDefaultShipping: true },
        data: { isDefaultShipping: false },
      });
    }
    if (defaults.isDefaultBilling) {
      await tx.userAddress.updateMany({
        where: { userId, isDefaultBilling: true },
        data: { isDefaultBilling: false },
      });
    }
  }

  create(
    tx: Tx,
    userId: string,
    address: PostalAddress,
    defaults: AddressDefaults,
  ): Promise<AddressRecord> {
    return tx.userAddress.create({ data: { userId, ...address, ...defaults } });
  }

  update(
    tx: Tx,
    id: string,
    address: PostalAddress | undefined,
    defaults: AddressDefaults,
  ): Promise<AddressRecord> {
    return tx.userAddress.update({ where: { id }, data: { ...address, ...defaults } });
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.userAddress.delete({ where: { id } });
  }
}

import { requireOwnerOrAdmin, requireUser } from '@microshop/auth';
import {
  sameAddress,
  validateAddress,
  type AddressInput,
  type PostalAddress,
} from '@microshop/addresses';
import { REQUEST_TRANSACTION_OPTIONS, type Db, type Tx } from '@microshop/db';
import type { DomainEvent, EventContext } from '@microshop/events';
import { isUuid, userError, type RequestContext, type UserError } from '@microshop/runtime';
import type { AddressDefaults, AddressRecord, AddressRepository } from './address.repository.ts';
import { UserErrorCode } from './generated/resolvers-types.ts';
import type { UserLoaders } from './loaders.ts';

/** Addresses one account may keep: a book, not a log of every parcel ever sent. */
export const MAX_ADDRESSES = 50;

type UsersUserError = UserError<UserErrorCode>;

export interface AddressResult {
  address: AddressRecord | null;
  userErrors: UsersUserError[];
}

export interface AddAddressInput {
  address: AddressInput;
  defaultShipping?: boolean | null;
  defaultBilling?: boolean | null;
}

export interface UpdateAddressInput {
  id: string;
  address?: AddressInput | null;
  defaultShipping?: boolean | null;
  defaultBilling?: boolean | null;
}

const failure = (...userErrors: UsersUserError[]): AddressResult => ({
  address: null,
  userErrors,
});
const notFound = (field: string[]) =>
  failure(userError(UserErrorCode.ADDRESS_NOT_FOUND, 'No address of yours has this id', field));

/** The address, or the userErrors of every field at fault (the shared rules of @microshop/addresses). */
function validated(
  input: AddressInput,
  at: string[],
): { address: PostalAddress } | { userErrors: UsersUserError[] } {
  const result = validateAddress(input, at);
  if (result.ok) return { address: result.address };
  return {
    userErrors: result.problems.map((problem) =>
      userError(problem.code, problem.message, problem.field),
    ),
  };
}

/**
 * The caller's address book: read by its owner or an ADMIN, changed by its owner. Every change
 * locks the book (the user's row), so at most one address is the default of each kind.
 */
export class AddressBookService {
  constructor(
    private readonly db: Db,
    private readonly repository: AddressRepository,
    private readonly loaders: Pick<UserLoaders, 'addressesByUserId'>,
  ) {}

  addressesOf(ctx: RequestContext, userId: string): Promise<AddressRecord[]> {
    requireOwnerOrAdmin(ctx.principal, userId, "Not allowed to see this user's addresses");
    return this.loaders.addressesByUserId.load(userId);
  }

  async addAddress(ctx: RequestContext, input: AddAddressInput): Promise<AddressResult> {
    const { userId } = requireUser(ctx.principal);
    const checked = validated(input.address, ['input', 'address']);
    if ('userErrors' in checked) return failure(...checked.userErrors);
    return this.db.$transaction(async (tx) => {
      await this.repository.lockBook(tx, userId);
      const book = await this.repository.ofUser(tx, userId);
      if (book.length >= MAX_ADDRESSES) {
        return failure(
          userError(
            UserErrorCode.ADDRESS_BOOK_FULL,
            `An address book holds at most ${MAX_ADDRESSES} addresses; remove one first`,
          ),
        );
      }
      // The first address of a book is where everything goes until the owner says otherwise.
      const defaults = {
        isDefaultShipping: Boolean(input.defaultShipping) || book.length === 0,
        isDefaultBilling: Boolean(input.defaultBilling) || book.length === 0,
      };
      await this.repository.clearDefaults(tx, userId, defaults);
      const address = await this.repository.create(tx, userId, checked.address, defaults);
      ctx.log.info({ addressId: address.id }, 'address added');
      return { address, userErrors: [] };
    }, REQUEST_TRANSACTION_OPTIONS);
  }

  async updateAddress(ctx: RequestContext, input: UpdateAddressInput): Promise<AddressResult> {
    const { userId } = requireUser(ctx.principal);
    let address: PostalAddress | undefined;
    if (input.address) {
      const checked = validated(input.address, ['input', 'address']);
      if ('userErrors' in checked) return failure(...checked.userErrors);
      address = checked.address;
    }
    const defaults: AddressDefaults = {
      ...(input.defaultShipping != null ? { isDefaultShipping: input.defaultShipping } : {}),
      ...(input.defaultBilling != null ? { isDefaultBilling: input.defaultBilling } : {}),
    };
    return this.db.$transaction(async (tx) => {
      const existing = await this.ownAddress(tx, userId, input.id);
      if (!existing) return notFound(['input', 'id']);
      await this.repository.clearDefaults(tx, userId, defaults);
      const updated = await this.repository.update(tx, existing.id, address, defaults);
      return { address: updated, userErrors: [] };
    }, REQUEST_TRANSACTION_OPTIONS);
  }

  async removeAddress(ctx: RequestContext, id: string): Promise<AddressResult> {
    const { userId } = requireUser(ctx.principal);
    return this.db.$transaction(async (tx) => {
      const existing = await this.ownAddress(tx, userId, id);
      if (!existing) return notFound(['id']);
      await this.repository.delete(tx, existing.id);
      return { address: existing, userErrors: [] };
    }, REQUEST_TRANSACTION_OPTIONS);
  }

  /** The user's address with this id, their book locked; null when they have none such. */
  private async ownAddress(tx: Tx, userId: string, id: string): Promise<AddressRecord | null> {
    if (!isUuid(id)) return null;
    await this.repository.lockBook(tx, userId);
    const book = await this.repository.ofUser(tx, userId);
    return book.find((address) => address.id === id) ?? null;
  }
}

/**
 * The address book's part of checkout: the addresses an order was placed with join the buyer's
 * book, unless the book has them already (the same place for the same person, whatever the
 * case) or is full. A book without a default shipping (billing) address gets the order's.
 * Runs in the consumer's transaction, which records the event as processed: a redelivered
 * OrderPlaced adds nothing.
 */
export class CheckoutAddresses {
  constructor(private readonly repository: AddressRepository) {}

  handleOrderEvent = async (
    tx: Tx,
    event: DomainEvent,
    context: Pick<EventContext, 'log'>,
  ): Promise<void> => {
    if (event.type !== 'OrderPlaced') return;
    const { orderId, userId, shippingAddress, billingAddress } = event.payload;
    if (!shippingAddress && !billingAddress) return;
    if (!isUuid(userId) || !(await this.repository.lockBook(tx, userId))) {
      context.log.warn({ orderId, userId }, 'order of an unknown user: no address book to save to');
      return;
    }
    const book = await this.repository.ofUser(tx, userId);
    const saved: string[] = [];
    for (const [address, kind] of [
      [shippingAddress, 'isDefaultShipping'],
      [billingAddress, 'isDefaultBilling'],
    ] as const) {
      if (!address) continue;
      const known = book.find((entry) => sameAddress(entry, address));
      const becomesDefault = !book.some((entry) => entry[kind]);
      if (known) {
        if (becomesDefault)
          book.splice(
            book.indexOf(known),
            1,
            await this.repository.update(tx, known.id, undefined, { [kind]: true }),
          );
        continue;
      }
      if (book.length >= MAX_ADDRESSES) continue;
      const created = await this.repository.create(tx, userId, address, { [kind]: becomesDefault });
      book.push(created);
      saved.push(created.id);
    }
    context.log.info({ orderId, userId, saved }, 'checkout addresses saved to the address book');
  };
}

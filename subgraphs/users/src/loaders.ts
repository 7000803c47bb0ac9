import DataLoader from 'dataloader';
import { isUuid } from '@microshop/runtime';
import type { AddressRecord, AddressRepository } from './address.repository.ts';
import type { UserRecord, UserRepository } from './user.repository.ts';

/** Per request: every User reference and `me` of one request cost one query together. */
export interface UserLoaders {
  userById: DataLoader<string, UserRecord | null>;
  /** Every address book read of one request (e.g. the users of a page of orders) in one query. */
  addressesByUserId: DataLoader<string, AddressRecord[]>;
}

export function createUserLoaders(
  users: UserRepository,
  addresses: AddressRepository,
): UserLoaders {
  return {
    userById: new DataLoader(async (ids) => {
      const found = new Map((await users.findByIds(ids)).map((user) => [user.id, user]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    addressesByUserId: new DataLoader(async (ids) => {
      const books = new Map<string, AddressRecord[]>(ids.map((id) => [id, []]));
      // Ids that are not UUIDs name no user and are not sent to the database.
      const valid = ids.filter(isUuid);
      if (valid.length > 0) {
        for (const address of await addresses.ofUsers(valid))
          books.get(address.userId)?.push(address);
      }
      return ids.map((id) => books.get(id) ?? []);
    }),
  };
}

import DataLoader from 'dataloader';
import type { UserRecord, UserRepository } from './user.repository.ts';

/** Per request: every User reference and `me` of one request cost one query together. */
export interface UserLoaders {
  userById: DataLoader<string, UserRecord | null>;
}

export function createUserLoaders(users: UserRepository): UserLoaders {
  return {
    userById: new DataLoader(async (ids) => {
      const found = new Map((await users.findByIds(ids)).map((user) => [user.id, user]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

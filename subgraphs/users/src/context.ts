import DataLoader from 'dataloader';
import type { RequestContext } from '@microshop/runtime';
import type { AuthService } from './auth.service.ts';
import type { UserRecord, UserRepository } from './user.repository.ts';

export interface UsersContext extends RequestContext {
  auth: AuthService;
  /** Per request: every User reference and `me` of one request cost one query together. */
  userById: DataLoader<string, UserRecord | null>;
}

export function createUserLoader(users: UserRepository): DataLoader<string, UserRecord | null> {
  return new DataLoader(async (ids) => {
    const found = new Map((await users.findByIds(ids)).map((user) => [user.id, user]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

import type { RequestContext } from '@microshop/runtime';
import type { AccountService } from './account.service.ts';
import type { AddressBookService } from './address-book.service.ts';
import type { AuthService } from './auth.service.ts';

/** The users request context: its services, built per request around that request's loaders. */
export interface UsersContext extends RequestContext {
  auth: AuthService;
  account: AccountService;
  addressBook: AddressBookService;
}

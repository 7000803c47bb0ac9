import type { RequestContext } from '@microshop/runtime';
import type { AuthService } from './auth.service.ts';

/** The users request context: its service, built per request around that request's loaders. */
export interface UsersContext extends RequestContext {
  auth: AuthService;
}

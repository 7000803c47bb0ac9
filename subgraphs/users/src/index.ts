// The users subgraph's public entry: what the stack, `npm start` and the scripts use of it.
export { start } from './start.ts';
export { DEFAULT_ADMIN_EMAIL, ensureAdmin, type EnsureAdminResult } from './admin.ts';
export { DEVELOPMENT_SCRYPT, scryptParametersFor } from './password.ts';

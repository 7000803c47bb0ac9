export * from './principal.ts';
export * from './keys.ts';
export * from './tokens.ts';
export * from './verifier.ts';
export * from './test-authority.ts';

export * from './backends.ts';
export * from './database.ts';
export * from './graphql.ts';
export * from './helpers.ts';
export * from './process.ts';
export * from './shop.ts';
export * from './proxy.ts';

export * from './client.ts';
// Every operation's document (e.g. `ProductsDocument`) and its result and variables types.
export * from './gql/graphql.ts';

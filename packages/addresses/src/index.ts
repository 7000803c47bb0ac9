export * from './address.ts';
export * from './countries.ts';

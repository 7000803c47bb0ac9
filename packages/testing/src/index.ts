export * from './backends.ts';
export * from './database.ts';

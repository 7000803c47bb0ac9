export * from './backends.ts';
export * from './database.ts';
export * from './stack.ts';

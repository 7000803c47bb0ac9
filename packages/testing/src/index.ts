export * from './backends.ts';
export * from './database.ts';
export * from './stack.ts';
export * from './process.ts';
export * from './otlp-receiver.ts';
export * from './shop.ts';

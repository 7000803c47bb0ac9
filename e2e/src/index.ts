export * from './stack.ts';
export * from './gateway-process.ts';

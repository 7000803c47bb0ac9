export * from './stack.ts';
export * from './gateway-process.ts';
export * from './cluster.ts';

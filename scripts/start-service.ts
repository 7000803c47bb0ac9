import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run start:service -- <name>`: runs one MicroShop process in the foreground, as `npm start`
 * runs each of its children. Configuration comes from the environment as usual (DATABASE_URL
 * must be set: only `npm start` starts the embedded database).
 */

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ServiceDefinition {
  /** The process entry point, relative to the repository root. */
  entry: string;
  /** Which `config.ports` entry it listens on; the orders worker serves no HTTP. */
  port?: 'gateway' | 'users' | 'catalog' | 'cart' | 'orders' | 'payments';
}

/** Every process of the supergraph, in the order `npm start` lists them. */
export const SERVICES = {
  users: { entry: 'subgraphs/users/src/main.ts', port: 'users' },
  catalog: { entry: 'subgraphs/catalog/src/main.ts', port: 'catalog' },
  cart: { entry: 'subgraphs/cart/src/main.ts', port: 'cart' },
  orders: { entry: 'subgraphs/orders/src/main.ts', port: 'orders' },
  'orders-worker': { entry: 'subgraphs/orders/src/worker-main.ts' },
  payments: { entry: 'subgraphs/payments/src/main.ts', port: 'payments' },
  gateway: { entry: 'gateway/src/main.ts', port: 'gateway' },
} as const satisfies Record<string, ServiceDefinition>;

export type ServiceName = keyof typeof SERVICES;

export function isServiceName(name: string | undefined): name is ServiceName {
  return name !== undefined && Object.hasOwn(SERVICES, name);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!isServiceName(name)) {
    console.error(`Usage: npm run start:service -- <${Object.keys(SERVICES).join('|')}>`);
    process.exit(64); // EX_USAGE
  }
  await import(pathToFileURL(join(repoRoot, SERVICES[name].entry)).href);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

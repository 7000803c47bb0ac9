import { fileURLToPath } from 'node:url';

/**
 * `npm run start:service -- <name>`: runs one MicroShop process in the foreground, as `npm start`
 * runs each of its children. Configuration comes from the environment as usual (DATABASE_URL
 * must be set: only `npm start` starts the embedded database).
 */

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ServiceDefinition {
  /** The process entry point: a package's `./main` (or `./worker-main`) export. */
  entry: string;
  /** Which `config.ports` entry it listens on; the orders worker serves no HTTP. */
  port?: 'gateway' | 'users' | 'catalog' | 'cart' | 'orders' | 'payments';
}

/** Every process of the supergraph, in the order `npm start` lists them. */
export const SERVICES = {
  users: { entry: '@microshop/users/main', port: 'users' },
  catalog: { entry: '@microshop/catalog/main', port: 'catalog' },
  cart: { entry: '@microshop/cart/main', port: 'cart' },
  orders: { entry: '@microshop/orders/main', port: 'orders' },
  'orders-worker': { entry: '@microshop/orders/worker-main' },
  payments: { entry: '@microshop/payments/main', port: 'payments' },
  gateway: { entry: '@microshop/gateway/main', port: 'gateway' },
} as const satisfies Record<string, ServiceDefinition>;

export type ServiceName = keyof typeof SERVICES;

/** The file a child process runs for `name` (node takes a path, not a package specifier). */
export function entryPath(name: ServiceName): string {
  return fileURLToPath(import.meta.resolve(SERVICES[name].entry));
}

export function isServiceName(name: string | undefined): name is ServiceName {
  return name !== undefined && Object.hasOwn(SERVICES, name);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!isServiceName(name)) {
    console.error(`Usage: npm run start:service -- <${Object.keys(SERVICES).join('|')}>`);
    process.exit(64); // EX_USAGE
  }
  await import(SERVICES[name].entry);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

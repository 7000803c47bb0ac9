import { requireBackend, type BackendVariable } from './backends.ts';

const ALL: BackendVariable[] = ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'ELASTICSEARCH_URL'];

/** In CI every real backend must be configured; a missing one fails the run before any test. */
export default function setup(): void {
  if (process.env.CI === 'true' || process.env.CI === '1')
    for (const variable of ALL) requireBackend(variable);
}

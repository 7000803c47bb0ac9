/**
 * Real backends a test is told to use. A missing one fails the test with the variable's name:
 * tests never skip because a server is absent (`npm test` starts them through scripts/infra/up).
 */
export type BackendVariable = 'DATABASE_URL' | 'REDIS_URL' | 'KAFKA_BROKERS' | 'ELASTICSEARCH_URL';

export function requireBackend(variable: BackendVariable): string {
  const value = process.env[variable];
  if (!value) {
    throw new Error(
      `${variable} is not set: this test talks to a real server. Run the tests with \`npm test\` ` +
        '(which starts them with scripts/infra/up) or export what `scripts/infra/up` prints.',
    );
  }
  return value;
}

export function searchEngine(): 'elasticsearch' | 'opensearch' {
  return process.env.SEARCH_ENGINE === 'opensearch' ? 'opensearch' : 'elasticsearch';
}

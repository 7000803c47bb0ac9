import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServer, type AuditResult } from 'graphql-http';
import { startStack, type Stack } from '@microshop/e2e';

/**
 * The GraphQL-over-HTTP conformance audit of the graphql-http package, run against the whole
 * gateway: no MUST may fail. The SHOULD and MAY findings left are deliberate and listed here and
 * in gateway/README.md, so a new one fails the test until it is fixed or documented.
 */

let stack: Stack;
let results: AuditResult[];

beforeAll(async () => {
  stack = await startStack();
  results = await auditServer({ url: stack.gatewayUrl });
});

afterAll(async () => {
  await stack?.close();
});

describe('GraphQL over HTTP (graphql-http audit)', () => {
  it('ran the whole audit', () => {
    expect(results.length).toBeGreaterThan(30);
  });

  it('has no MUST failure', async () => {
    const failures = await Promise.all(
      results
        .filter((result) => result.status !== 'ok' && result.name.startsWith('MUST'))
        .map(async (result) => ({
          name: result.name,
          reason: result.status === 'ok' ? '' : result.reason,
          body: result.status === 'ok' ? '' : await result.response.text(),
        })),
    );
    expect(failures).toEqual([]);
  });

  it('leaves only the SHOULD and MAY findings gateway/README.md lists as deliberate', () => {
    const findings = results
      .filter((result) => result.status !== 'ok')
      .map((result) => `${result.status}: ${result.name}`)
      .sort();
    expect(findings).toEqual([
      // GETs without a CSRF header (these audits send none) are refused by CSRF prevention.
      'notice: MAY accept application/x-www-form-urlencoded formatted GET requests',
      'notice: MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
      'notice: MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
      // Refusals are HTTP 400 for every client, whatever it accepts.
      'warn: SHOULD use 200 status code on document parsing failure when accepting application/json',
      'warn: SHOULD use 200 status code on document validation failure when accepting application/json',
      'warn: SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
    ]);
  });
});

import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { boundedText, ErrorCode, servedByGateway } from '../src/errors.ts';

describe('servedByGateway', () => {
  it('refuses a subscription sent to the subgraph, naming the field and who serves it', () => {
    const { subscribe } = servedByGateway('orderStatusChanged', 'orders');
    let refusal: unknown;
    try {
      subscribe();
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).message).toBe(
      'orderStatusChanged is served by the gateway over graphql-ws, not by the orders subgraph',
    );
    expect((refusal as GraphQLError).extensions.code).toBe(ErrorCode.BAD_REQUEST);
  });
});

describe('boundedText', () => {
  it('trims, and refuses empty or too long text with BAD_USER_INPUT naming the field', () => {
    expect(boundedText('  key-1 ', 5, ['input', 'key'])).toBe('key-1');
    for (const value of ['   ', 'key-12']) {
      let thrown: unknown;
      try {
        boundedText(value, 5, ['input', 'key']);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GraphQLError);
      expect((thrown as GraphQLError).message).toBe('key must have 1 to 5 characters');
      expect((thrown as GraphQLError).extensions).toEqual({
        code: ErrorCode.BAD_USER_INPUT,
        field: ['input', 'key'],
      });
    }
  });
});

import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ErrorCode, servedByGateway } from '../src/errors.ts';

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

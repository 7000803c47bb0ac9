import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * The composed client API (schema/api.graphql) must offer everything the shared API contract
 * promises to frontends and typed clients: every type, field, enum value and argument, with the
 * same types and defaults. More is allowed, as long as nothing new is required of a client.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const contractPath = `${repoRoot}../shared/api-contract.graphql`;
const apiPath = `${repoRoot}schema/api.graphql`;

/** Every way `api` falls short of `contract`, as readable lines (empty: it honours the contract). */
function contractViolations(contract: GraphQLSchema, api: GraphQLSchema): string[] {
  const problems: string[] = [];
  const sameDefault = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const optional = (input: GraphQLArgument | GraphQLInputField) =>
    !isNonNullType(input.type) || input.defaultValue !== undefined;

  const compareInputs = (
    where: string,
    promised: readonly (GraphQLArgument | GraphQLInputField)[],
    offered: readonly (GraphQLArgument | GraphQLInputField)[],
  ) => {
    for (const input of promised) {
      const match = offered.find((candidate) => candidate.name === input.name);
      if (!match) problems.push(`${where}: missing ${input.name}`);
      else if (String(match.type) !== String(input.type)) {
        problems.push(
          `${where}.${input.name}: type ${String(match.type)}, contract says ${String(input.type)}`,
        );
      } else if (!sameDefault(match.defaultValue, input.defaultValue)) {
        problems.push(
          `${where}.${input.name}: default ${JSON.stringify(match.defaultValue)}, contract says ${JSON.stringify(input.defaultValue)}`,
        );
      }
    }
    for (const extra of offered) {
      if (!promised.some((input) => input.name === extra.name) && !optional(extra)) {
        problems.push(`${where}.${extra.name}: required but not in the contract (breaks clients)`);
      }
    }
  };

  const userTypes = Object.values(contract.getTypeMap()).filter(
    (type) => !type.name.startsWith('__'),
  );
  for (const promised of userTypes) {
    const offered: GraphQLNamedType | undefined = api.getType(promised.name);
    if (!offered) {
      if (
        !isScalarType(promised) ||
        !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(promised.name)
      ) {
        problems.push(`type ${promised.name}: missing`);
      }
      continue;
    }
    if (offered.constructor !== promised.constructor) {
      problems.push(
        `type ${promised.name}: is a ${offered.constructor.name}, contract says ${promised.constructor.name}`,
      );
      continue;
    }
    if (isEnumType(promised) && isEnumType(offered)) {
      for (const value of promised.getValues()) {
        if (!offered.getValue(value.name))
          problems.push(`enum ${promised.name}: missing value ${value.name}`);
      }
    } else if (
      (isObjectType(promised) || isInterfaceType(promised)) &&
      (isObjectType(offered) || isInterfaceType(offered))
    ) {
      const fields = offered.getFields();
      for (const field of Object.values(promised.getFields())) {
        const match = fields[field.name];
        const where = `${promised.name}.${field.name}`;
        if (!match) {
          problems.push(`${where}: missing`);
          continue;
        }
        if (String(match.type) !== String(field.type)) {
          problems.push(
            `${where}: type ${String(match.type)}, contract says ${String(field.type)}`,
          );
        }
        compareInputs(`${where}(args)`, field.args, match.args);
      }
    } else if (isInputObjectType(promised) && isInputObjectType(offered)) {
      compareInputs(
        `input ${promised.name}`,
        Object.values(promised.getFields()),
        Object.values(offered.getFields()),
      );
    }
  }
  return problems;
}

describe('the composed API schema against ../shared/api-contract.graphql', () => {
  it('offers every type, field, argument and enum value of the contract, with the same shapes', () => {
    const contract = buildSchema(readFileSync(contractPath, 'utf8'));
    const api = buildSchema(readFileSync(apiPath, 'utf8'));
    expect(contractViolations(contract, api)).toEqual([]);
  });

  it('notices what a schema lacks or changes', () => {
    const contract = buildSchema(`
      type Query { product(id: ID!): Product, products(first: Int = 20): [Product!]! }
      type Product { id: ID!, name: String! }
      enum Role { CUSTOMER ADMIN }
      input Filter { min: Int }
    `);
    const api = buildSchema(`
      type Query { product(id: String!, extra: Int!): Product, products(first: Int = 10): [Product!]! }
      type Product { id: ID! }
      enum Role { CUSTOMER }
      input Filter { min: Int, max: Int! }
    `);
    expect(contractViolations(contract, api).sort()).toEqual(
      [
        'Product.name: missing',
        'Query.product(args).id: type String!, contract says ID!',
        'Query.product(args).extra: required but not in the contract (breaks clients)',
        'Query.products(args).first: default 10, contract says 20',
        'enum Role: missing value ADMIN',
        'input Filter.max: required but not in the contract (breaks clients)',
      ].sort(),
    );
  });
});

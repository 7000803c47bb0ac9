import type { ApolloServerPlugin, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import type { RequestContext, ScreenedRequest } from '@microshop/runtime';
import { ApolloArmor } from '@escape.tech/graphql-armor';
// The CommonJS entry, which is what Node (and so Apollo Server and graphql-armor) loads for a bare
// 'graphql'. Under Vite (vitest) a bare 'graphql' resolves to the ESM build instead, and graphql-js
// refuses schema objects from the other copy; drop the subpath once vitest.config.ts aliases
// 'graphql' to its CommonJS entry.
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql/index.js';
import type { GatewayFeature } from './feature.ts';
import { rootFieldNodes } from './root-fields.ts';

/**
 * Every refusal by these limits carries this `extensions.code` (and `extensions.limit`, the name of
 * the limit that refused it, e.g. `maxDepth`) and answers HTTP 400. It is one code for all of them
 * so a client needs one branch; `limit` says which knob to look at.
 */
export const OPERATION_LIMIT_EXCEEDED = 'OPERATION_LIMIT_EXCEEDED';

export type OperationLimitName =
  'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxRootFields' | 'maxCost';

export interface OperationLimits {
  /** Deepest field nesting; `{ a { b } }` has depth 2. Introspection fields are exempt. */
  maxDepth: number;
  /** Aliased fields in the operation, `__typename` included (fragments counted where spread). */
  maxAliases: number;
  /** Lexical tokens in the document, checked by the parser before it builds anything. */
  maxTokens: number;
  /** Directive uses in the operation (fragments counted where they are spread). */
  maxDirectives: number;
  /** Fields selected on the root type (`__typename` is free). */
  maxRootFields: number;
  /**
   * Estimated field resolutions: every field costs 1 times the product of the sizes of the lists
   * around it. A field with a `first`/`last`/`limit` argument multiplies what it contains by that
   * argument (its schema default when absent); a list without one counts as `defaultListSize`,
   * except a list inside a page type (one with `pageInfo`), whose size its field already counted.
   */
  maxCost: number;
  defaultListSize: number;
  /** Strip "Did you mean ...?" suggestions from every error message (on in production). */
  hideSuggestions: boolean;
}

/**
 * Sized for the storefront: its deepest operation (my orders → items → product → category) has
 * depth 8, a 100-product page with ten fields each costs about 1,100, and a home page selects a
 * handful of root fields. Introspection (Sandbox) fits in the token limit and is exempt from depth.
 */
export const DEFAULT_OPERATION_LIMITS: Readonly<OperationLimits> = Object.freeze({
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 1000,
  maxDirectives: 20,
  maxRootFields: 10,
  maxCost: 5000,
  defaultListSize: 10,
  hideSuggestions: true,
});

/** What these limits add to an Apollo Server's options (merge `plugins` with your own). */
export interface OperationLimitsServerOptions<TContext extends BaseContext> {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<TContext>[];
}

function limitError(limit: OperationLimitName, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: OPERATION_LIMIT_EXCEEDED, limit, http: { status: 400 } },
  });
}

/**
 * graphql-js's own parser limit; its error is a parse error we re-label (see the plugin). graphql 16
 * spells it "more that", later versions "more than".
 */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;
/** graphql-js appends `Did you mean "x"?` / `Did you mean the enum value "X"?` to many messages. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Apollo Server options that refuse, before the operation is planned or any resolver or subgraph
 * runs, documents that are too big or too expensive:
 * - tokens: graphql-js's parser limit (`parseOptions.maxTokens`), so an oversized document is
 *   never even turned into an AST (graphql-armor's max-tokens plugin throws from a plugin hook,
 *   which Apollo Server turns into a 500);
 * - depth, aliases, directives: graphql-armor's validation rules;
 * - root fields: a validation rule here (graphql-armor has none);
 * - cost: computed here once variables are known (graphql-armor's cost limit ignores list sizes).
 * Apollo Server caches documents that passed validation, so the rules run once per distinct
 * accepted document; the cost check runs on every request because it depends on the variables.
 */
export function operationLimits<TContext extends BaseContext = BaseContext>(
  limits: OperationLimits = DEFAULT_OPERATION_LIMITS,
): OperationLimitsServerOptions<TContext> {
  const reportAs = (limit: OperationLimitName) => ({
    n: limits[limit],
    // Report to the validation context (Apollo answers 400) instead of throwing out of validate().
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(limitError(limit, error.message.replace(/^Syntax Error: /, ''))),
    ],
  });
  const armor = new ApolloArmor({
    maxDepth: { ...reportAs('maxDepth'), ignoreIntrospection: true, flattenFragments: true },
    // graphql-armor lets `__typename` be aliased freely by default; hundreds of such aliases on
    // each item of a list would multiply the response at no cost, so they count like any other.
    maxAliases: { ...reportAs('maxAliases'), allowList: [] },
    maxDirectives: reportAs('maxDirectives'),
    // Replaced by the parser limit, the cost rule below and the suggestion filter in the plugin.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();

  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [...armor.validationRules, maxRootFieldsRule(limits.maxRootFields)],
    plugins: [operationLimitsPlugin<TContext>(limits)],
  };
}

function operationLimitsPlugin<TContext extends BaseContext>(
  limits: OperationLimits,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION)
              fragments.set(definition.name.value, definition);
          }
          const cost = operationCost(
            schema,
            operation,
            fragments,
            request.variables ?? {},
            limits.defaultListSize,
          );
          if (cost > limits.maxCost) {
            throw limitError(
              'maxCost',
              `Operation cost limit of ${limits.maxCost} exceeded, found ${cost}.`,
            );
          }
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            // Apollo Server labels every validation error GRAPHQL_VALIDATION_FAILED and every parse
            // error GRAPHQL_PARSE_FAILED; ours keep their own code so clients can tell them apart.
            const extensions = error.extensions as Record<string, unknown>;
            if (
              error.originalError instanceof GraphQLError &&
              error.originalError.extensions.code === OPERATION_LIMIT_EXCEEDED
            ) {
              extensions.code = OPERATION_LIMIT_EXCEEDED;
            } else if (
              extensions.code === 'GRAPHQL_PARSE_FAILED' &&
              TOO_MANY_TOKENS.test(error.message)
            ) {
              extensions.code = OPERATION_LIMIT_EXCEEDED;
              extensions.limit = 'maxTokens' satisfies OperationLimitName;
            }
            if (limits.hideSuggestions) error.message = error.message.replace(SUGGESTION, '');
          }
        },
      };
    },
  };
}

/** Fields selected on the root type, through fragments (`__typename` is free). */
function maxRootFieldsRule(maxRootFields: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const rootFields = rootFieldNodes(operation.selectionSet, (name) =>
        context.getFragment(name),
      ).filter((field) => field.name.value !== '__typename').length;
      if (rootFields > maxRootFields) {
        context.reportError(
          limitError(
            'maxRootFields',
            `Root fields limit of ${maxRootFields} exceeded, found ${rootFields}.`,
          ),
        );
      }
    },
  });
}

const SIZE_ARGUMENTS = ['first', 'last', 'limit'];
const INTROSPECTION_ROOT_FIELDS = new Set(['__schema', '__type']);

/**
 * The estimated number of field resolutions (see `OperationLimits.maxCost`). Runs on a validated
 * document, so fragments are acyclic and every field exists; each fragment is costed once, and a
 * fragment spread twice in one selection set counts once, as execution merges it.
 */
function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  defaultListSize: number,
): number {
  const fragmentCosts = new Map<string, number>();

  const sizeArgument = (
    node: FieldNode,
    field: GraphQLField<unknown, unknown>,
  ): number | undefined => {
    const definition = field.args.find((arg) => SIZE_ARGUMENTS.includes(arg.name));
    if (!definition) return undefined;
    const argument = node.arguments?.find((arg) => arg.name.value === definition.name);
    let size: unknown = definition.defaultValue;
    if (argument?.value.kind === Kind.INT) size = Number(argument.value.value);
    else if (argument?.value.kind === Kind.VARIABLE) {
      const name = argument.value.name.value;
      const declared = operation.variableDefinitions?.find(
        (variable) => variable.variable.name.value === name,
      );
      size =
        variables[name] ??
        (declared?.defaultValue?.kind === Kind.INT
          ? Number(declared.defaultValue.value)
          : undefined);
    }
    return Number.isInteger(size) ? Math.max(0, size as number) : defaultListSize;
  };

  const selectionSetCost = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
  ): number => {
    const fields =
      isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields() : {};
    // A list inside a page was already sized by the field that returned the page (first/last).
    const isPage = 'pageInfo' in fields;
    const spread = new Set<string>();
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeCondition =
          selection.typeCondition && schema.getType(selection.typeCondition.name.value);
        const type = typeCondition && isCompositeType(typeCondition) ? typeCondition : parentType;
        cost += selectionSetCost(selection.selectionSet, type);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          cost += fragmentCost(selection.name.value);
        }
      } else {
        const name = selection.name.value;
        const field = fields[name];
        // __typename is free; introspection is off in production and its depth is fixed by the schema.
        if (name === '__typename' || INTROSPECTION_ROOT_FIELDS.has(name) || !field) continue;
        cost += 1;
        const type = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(type)) continue;
        const multiplier =
          sizeArgument(selection, field) ??
          (isListType(getNullableType(field.type)) ? (isPage ? 1 : defaultListSize) : 1);
        cost += multiplier * selectionSetCost(selection.selectionSet, type);
      }
    }
    return cost;
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    const cost =
      fragment && type && isCompositeType(type) ? selectionSetCost(fragment.selectionSet, type) : 0;
    fragmentCosts.set(name, cost);
    return cost;
  };

  const rootType = schema.getRootType(operation.operation);
  return rootType ? selectionSetCost(operation.selectionSet, rootType) : 0;
}

/**
 * With HTTP batching on (`GRAPHQL_MAX_BATCH_SIZE`), every operation of a batch passes the limits
 * above on its own, so the batch's size is the multiplier an attacker would reach for: a batch
 * over `maxBatchSize` is refused whole, before any of it is parsed.
 */
export function batchSizeScreen(maxBatchSize: number) {
  return (request: HTTPGraphQLRequest): ScreenedRequest =>
    // With batching off (0), Apollo Server refuses any array body itself.
    maxBatchSize > 0 && Array.isArray(request.body) && request.body.length > maxBatchSize
      ? {
          refuse: {
            status: 400,
            message: `A batch may hold at most ${maxBatchSize} operations`,
            code: OPERATION_LIMIT_EXCEEDED,
          },
        }
      : { accept: request };
}

/**
 * The operation limits (refused before planning, in every environment, over HTTP and WebSocket
 * alike: the subscription server applies the same parse options and rules) and the batch size.
 */
export function operationLimitsFeature(
  limits: OperationLimits,
  maxBatchSize: number,
): GatewayFeature {
  const { parseOptions, validationRules, plugins } = operationLimits<RequestContext>(limits);
  return {
    name: 'operation-limits',
    plugins,
    apollo: { parseOptions, validationRules, allowBatchedHttpRequests: maxBatchSize > 0 },
    screen: batchSizeScreen(maxBatchSize),
  };
}

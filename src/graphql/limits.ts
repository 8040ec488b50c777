import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Config } from '../config';
import type { Context } from './context';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './cursor';
import { queryTooComplex, requestTimeout } from './errors';

/** The bounds of one request (ACCESS.md, "Limits"; README, "Limits and operations"). */
export type Limits = Pick<Config, 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxCost' | 'maxBodyBytes' | 'allowBatching' | 'requestTimeoutMs'>;

/**
 * The cost of a field: 1, plus its selection's cost times the items it can return. A field with a `first`
 * argument returns a page: `first` (clamped to 0..MAX_PAGE_SIZE; the resolver refuses other values), else the
 * default page. Lists without `first` (an entity's relationships, a subgraph, a path's nodes) count their selection
 * once: the loaders fetch each of them in one batch per request, and their length is bounded by the data, not by
 * the caller.
 */
export const pageCostEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (field.args.some((a) => a.name === 'first')) {
    const first = typeof args.first === 'number' ? Math.min(Math.max(Math.trunc(args.first), 0), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    return 1 + first * childComplexity;
  }
  return 1 + childComplexity;
};

/** graphql-query-complexity's own error when a query's fragments expand beyond its node budget. */
const NODE_BUDGET_MESSAGE = /maximum allowed number of nodes/;

/** Refuses, before execution, an operation whose cost (pageCostEstimator) exceeds `maxCost`. */
export function costLimitPlugin(schema: GraphQLSchema, maxCost: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, variables: request.variables ?? {}, operationName: operationName ?? undefined, estimators: [pageCostEstimator] });
          } catch (e) {
            if (e instanceof GraphQLError && NODE_BUDGET_MESSAGE.test(e.message)) throw queryTooComplex(`Query cost limit of ${maxCost} exceeded: the query expands to too many fields.`);
            return; // invalid variables: execution answers them as BAD_USER_INPUT
          }
          if (cost > maxCost) {
            throw queryTooComplex(`Query cost limit of ${maxCost} exceeded, found ${cost} (a list costs its page size, \`first\` or ${DEFAULT_PAGE_SIZE}, times its selection).`);
          }
        },
      };
    },
  };
}

/**
 * The request deadline between resolver steps: a field that starts after it fails with TIMEOUT (synchronous work
 * already running cannot be interrupted). Only the first TIMEOUT is kept in the response.
 */
export const deadlinePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async executionDidStart() {
        return {
          willResolveField({ contextValue }) {
            if (Date.now() >= contextValue.deadline) throw requestTimeout();
          },
        };
      },
      async willSendResponse({ response }) {
        const body = response.body;
        if (body.kind !== 'single' || !body.singleResult.errors) return;
        let seen = false;
        body.singleResult.errors = body.singleResult.errors.filter((e) => {
          if (e.extensions?.code !== 'TIMEOUT') return true;
          if (seen) return false;
          seen = true;
          return true;
        });
      },
    };
  },
};

/** Depth, aliases and directives: graphql-armor's validation rules, rejecting with QUERY_TOO_COMPLEX. */
function armor(limits: Limits, blockFieldSuggestions: boolean): { plugins: ApolloServerPlugin<Context>[]; validationRules: ValidationRule[] } {
  const reject: GraphQLArmorRejectCallback = (ctx, error) => {
    ctx?.reportError(new GraphQLError(error.message, { extensions: { code: 'QUERY_TOO_COMPLEX' } }));
  };
  const common = { onReject: [reject], propagateOnRejection: false, exposeLimits: true };
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { ...common, n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { ...common, n: limits.maxAliases },
    maxDirectives: { ...common, n: limits.maxDirectives },
    // Tokens: graphql-js's own parser limit (parseOptions below), which fails parsing cleanly as a 400.
    maxTokens: { enabled: false },
    // Cost: graphql-query-complexity with the page-size estimator (costLimitPlugin).
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: blockFieldSuggestions },
  }).protect();
  return { plugins: plugins as ApolloServerPlugin<Context>[], validationRules };
}

/** Everything ApolloServer needs to enforce the limits that apply to a parsed operation. */
export function limitOptions(schema: GraphQLSchema, limits: Limits, opts: { blockFieldSuggestions: boolean }): {
  plugins: ApolloServerPlugin<Context>[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
} {
  const a = armor(limits, opts.blockFieldSuggestions);
  return {
    plugins: [...a.plugins, costLimitPlugin(schema, limits.maxCost), deadlinePlugin],
    validationRules: a.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/**
 * graphql-js's parser refusing a document over parseOptions.maxTokens, known by its message only (graphql 16 says
 * "more that"): the limit it names, else undefined.
 */
export function tokenLimitOf(message: string): number | undefined {
  const m = /Document contains more th(?:at|an) (\d+) tokens/.exec(message);
  return m ? Number(m[1]) : undefined;
}

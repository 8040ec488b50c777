import { GraphQLError } from 'graphql';
import type { AuthCheckerFn } from 'type-graphql';
import { requiredRole, ruleFor, type Rule } from './access.table';
import { roleAtLeast, type Principal } from './principal';

/** What the checker reads of a request's context: the principal the server authenticated (ACCESS.md). */
export interface AuthContext {
  principal?: Principal;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

/**
 * type-graphql's authChecker for every `@Authorized` field. The rule applied is the access table's entry for the
 * field's schema coordinate (`Type.field`), so fields inherited from a base class (Entity.extra) get the rule of
 * the concrete type; the decorator's argument, when given, must be that same entry. Refusals are GraphQLErrors,
 * which graphql-js places at the field's path: FORBIDDEN (role too weak, or a field the table does not classify)
 * or UNAUTHENTICATED (no principal in the context: the server should have answered 401 before executing).
 */
export const authChecker: AuthCheckerFn<AuthContext, Rule> = ({ root, context, info }, rules) => {
  const coordinate = `${info.parentType.name}.${info.fieldName}`;
  const rule = ruleFor(info.parentType.name, info.fieldName);
  if (rule === undefined) throw forbidden(`${coordinate} has no access rule`);
  if (rules.length > 0 && !rules.includes(rule)) {
    throw new Error(`@Authorized on ${coordinate} does not name its access table entry`);
  }
  const principal = context?.principal;
  if (!principal) throw unauthenticated('credentials required');
  const needed = requiredRole(rule, root);
  if (!roleAtLeast(principal.role, needed)) {
    const why = typeof rule === 'string' || needed === rule.role ? '' : ` (${rule.because})`;
    throw forbidden(`${coordinate} needs the ${needed} role; this request has ${principal.role}${why}`);
  }
  return true;
};

/**
 * Who is asking (ACCESS.md): the roles, each including everything of the roles before it, and the principal a
 * request runs as. The authenticator turns a request's Authorization header into a principal.
 */
export const ROLES = ['viewer', 'analyst', 'investigator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** What change sets record: the key's name, the JWT's `sub`, or `local`. */
  actor: string;
  role: Role;
}

/** The principal of local mode: no key and no JWT setting, loopback only. */
export const LOCAL_PRINCIPAL: Principal = { actor: 'local', role: 'admin' };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** A request without a valid credential where one is needed: HTTP 401, extensions.code UNAUTHENTICATED. */
export class UnauthenticatedError extends Error {}

export interface Authenticator {
  /** True when no key exists and no JWT setting is present: every request is LOCAL_PRINCIPAL. */
  localMode(): Promise<boolean>;
  /** The principal for an `Authorization` header value (or its absence); UnauthenticatedError when refused. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /**
   * From now on never local mode, whatever the store holds: called when the server listens beyond loopback with
   * credentials configured, so that revoking the last key cannot turn it into an open admin server.
   */
  requireCredentials?(): void;
}

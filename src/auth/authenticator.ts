import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Neo4jClient } from '../db/neo4j-client';
import { createJwtVerifier, jwtSettings, type JwtVerifier } from './jwt';
import { KeyService, looksLikeKey } from './keys.service';
import { LOCAL_PRINCIPAL, UnauthenticatedError, type Authenticator, type Principal } from './principal';

/**
 * Who a request is (ACCESS.md, "Authentication"):
 * - `Authorization: Bearer lt_…` is an API key, looked up in Neo4j on every request (revocation is immediate);
 * - any other bearer token is a JWT when LABORTRACE_JWT_SECRET or LABORTRACE_JWKS_URL is set;
 * - local mode (no key in the store and no JWT setting): every request without credentials is LOCAL_PRINCIPAL (admin,
 *   actor `local`); one that presents an invalid credential (a revoked key, say) is refused even then.
 *   Whether a key exists is asked of the store (its count store: no scan) on each request that does not carry a
 *   valid key, so a key created by `labortrace keys create` in another process ends local mode at the next request.
 */
export class KeyJwtAuthenticator implements Authenticator {
  private credentialsRequired = false;

  constructor(readonly keys: KeyService, private readonly jwt: JwtVerifier | null) {}

  async localMode(): Promise<boolean> {
    if (this.jwt || this.credentialsRequired) return false;
    return !(await this.keys.anyKey());
  }

  requireCredentials(): void {
    this.credentialsRequired = true;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    if (token !== null) {
      if (looksLikeKey(token)) {
        const principal = await this.keys.verify(token);
        if (principal) return principal;
      } else if (this.jwt) {
        return this.jwt.verify(token);
      }
    }
    if (authorization === undefined || authorization.trim() === '') {
      if (await this.localMode()) return LOCAL_PRINCIPAL;
      throw new UnauthenticatedError('credentials required: send Authorization: Bearer <API key or JWT>');
    }
    // A credential that was presented must be valid, local mode or not: a revoked key is never an admin.
    if (token === null) throw new UnauthenticatedError('the Authorization header must read: Bearer <API key or JWT>');
    throw new UnauthenticatedError(looksLikeKey(token) ? 'the API key is not valid (unknown, revoked or mistyped)' : 'bearer tokens other than API keys need a JWT setting');
  }
}

/** The token of `Bearer <token>` (scheme case-insensitive), or null. */
function bearerToken(authorization: string | undefined): string | null {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m ? m[1] : null;
}

/** The authenticator of a server or a test: API keys in `client`'s store, JWT settings from `env`. */
export function createAuthenticator(client: Neo4jClient, env: NodeJS.ProcessEnv = process.env): KeyJwtAuthenticator {
  const settings = jwtSettings(env);
  return new KeyJwtAuthenticator(new KeyService(client), settings ? createJwtVerifier(settings) : null);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** 127.0.0.0/8, ::1 (also bracketed or IPv4-mapped) and `localhost`; any other name or address is not loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIPv4(h)) return LOOPBACK.check(h, 'ipv4');
  if (isIPv6(h)) return LOOPBACK.check(h, 'ipv6');
  return false;
}

/** Local mode asked to listen beyond loopback: the serve command exits non-zero with this message. */
export class ListenRefusedError extends Error {}

/**
 * Refuses a non-loopback `host` in local mode, with a message naming `labortrace keys create`. Otherwise, for a
 * non-loopback host, the authenticator never falls back to local mode afterwards (revoking the last key must not
 * open the server to everyone).
 */
export async function assertListenAllowed(host: string, authenticator: Authenticator): Promise<void> {
  if (isLoopbackHost(host)) return;
  if (await authenticator.localMode()) {
    throw new ListenRefusedError(
      `refusing to listen on ${host}: no credentials are configured (local mode serves loopback only). ` +
        'Create an API key first with `labortrace keys create --role ROLE --name NAME`, or set LABORTRACE_JWT_SECRET or LABORTRACE_JWKS_URL.',
    );
  }
  authenticator.requireCredentials?.();
}

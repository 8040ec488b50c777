import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { ConfigError } from '../config';
import { isRole, UnauthenticatedError, type Principal } from './principal';

/**
 * Optional single sign-on (ACCESS.md): a bearer JWT signed with `LABORTRACE_JWT_SECRET` (HS256) or by a key of the
 * JWKS at `LABORTRACE_JWKS_URL` (RS256 or ES256). Its `sub` is the actor, the claim `labortrace_role` (renamed by
 * `LABORTRACE_JWT_ROLE_CLAIM`) the role; `exp` is required and enforced. `LABORTRACE_JWT_ISSUER` and
 * `LABORTRACE_JWT_AUDIENCE`, when set, are required to match `iss` and `aud`.
 */
export interface JwtSettings {
  secret?: string;
  jwksUrl?: string;
  roleClaim: string;
  issuer?: string;
  audience?: string;
}

export const DEFAULT_ROLE_CLAIM = 'labortrace_role';
/** An HS256 secret shorter than this is refused at start (RFC 7518 §3.2: at least the hash size, 256 bits). */
export const MIN_SECRET_BYTES = 32;

/** The JWT settings in the environment, or null when neither a secret nor a JWKS URL is set. */
export function jwtSettings(env: NodeJS.ProcessEnv = process.env): JwtSettings | null {
  const secret = env.LABORTRACE_JWT_SECRET || undefined;
  const jwksUrl = env.LABORTRACE_JWKS_URL || undefined;
  if (!secret && !jwksUrl) return null;
  if (secret && Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError('LABORTRACE_JWT_SECRET', `must be at least ${MIN_SECRET_BYTES} bytes long`);
  }
  if (jwksUrl) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      throw new ConfigError('LABORTRACE_JWKS_URL', `not a URL: '${jwksUrl}'`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('LABORTRACE_JWKS_URL', `must be an http(s) URL: '${jwksUrl}'`);
  }
  return {
    secret,
    jwksUrl,
    roleClaim: env.LABORTRACE_JWT_ROLE_CLAIM || DEFAULT_ROLE_CLAIM,
    issuer: env.LABORTRACE_JWT_ISSUER || undefined,
    audience: env.LABORTRACE_JWT_AUDIENCE || undefined,
  };
}

export interface JwtVerifier {
  verify(token: string): Promise<Principal>;
}

const HS = ['HS256'];
const ASYMMETRIC = ['RS256', 'ES256'];

export function createJwtVerifier(settings: JwtSettings): JwtVerifier {
  const secretKey = settings.secret ? new TextEncoder().encode(settings.secret) : undefined;
  const jwks = settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined;
  const algorithms = [...(secretKey ? HS : []), ...(jwks ? ASYMMETRIC : [])];
  // Which key verifies depends on the token's alg: HS256 only against the secret, RS256/ES256 only against the JWKS.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (header.alg === 'HS256' && secretKey) return secretKey as unknown as KeyLike;
    if (jwks && ASYMMETRIC.includes(header.alg)) return jwks(header, token);
    throw new UnauthenticatedError(`a JWT signed with ${header.alg} is not accepted`);
  };
  return {
    async verify(token: string): Promise<Principal> {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms,
          requiredClaims: ['exp', 'sub'],
          issuer: settings.issuer,
          audience: settings.audience,
        }));
      } catch (e) {
        if (e instanceof UnauthenticatedError) throw e;
        throw new UnauthenticatedError(describe(e));
      }
      const sub = payload.sub;
      if (typeof sub !== 'string' || sub === '') throw new UnauthenticatedError('the JWT has no subject (sub)');
      const role = payload[settings.roleClaim];
      if (!isRole(role)) throw new UnauthenticatedError(`the JWT's ${settings.roleClaim} claim is not a labortrace role`);
      return { actor: sub, role };
    },
  };
}

/** jose's reasons, in words that reveal nothing about the secret or the key set. */
function describe(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'the JWT has expired';
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `the JWT's ${e.claim} claim is missing or not accepted`;
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'the JWT signature is not valid';
  if (e instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the JWKS verifies the JWT';
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "the JWT's algorithm is not accepted";
  if (e instanceof joseErrors.JWKSTimeout || (e as { code?: string }).code === 'ERR_JOSE_GENERIC') return 'the JWKS could not be fetched';
  if (e instanceof joseErrors.JWSInvalid || e instanceof joseErrors.JWTInvalid) return 'the JWT is malformed';
  return 'the JWT is not valid';
}

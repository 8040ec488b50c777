import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import { createJwtVerifier, jwtSettings } from '../../src/auth/jwt';
import { UnauthenticatedError } from '../../src/auth/principal';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const now = () => Math.floor(Date.now() / 1000);

function hs256(claims: Record<string, unknown>, secret = SECRET, exp: number | null = now() + 300): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(UnauthenticatedError);
    return (e as Error).message;
  }
  throw new Error('expected UnauthenticatedError');
}

describe('JWT settings', () => {
  it('none without a secret or a JWKS URL; the role claim defaults to labortrace_role', () => {
    expect(jwtSettings({})).toBeNull();
    expect(jwtSettings({ LABORTRACE_JWT_SECRET: SECRET })).toMatchObject({ secret: SECRET, roleClaim: 'labortrace_role' });
    expect(jwtSettings({ LABORTRACE_JWKS_URL: 'https://idp.example/jwks', LABORTRACE_JWT_ROLE_CLAIM: 'lt' })).toMatchObject({ roleClaim: 'lt' });
  });

  it('refuses a short HS256 secret and a JWKS URL that is not http(s)', () => {
    expect(() => jwtSettings({ LABORTRACE_JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => jwtSettings({ LABORTRACE_JWKS_URL: 'file:///etc/jwks' })).toThrow(/http/);
  });
});

describe('HS256', () => {
  const verifier = createJwtVerifier(jwtSettings({ LABORTRACE_JWT_SECRET: SECRET })!);

  it('a valid token: sub is the actor, labortrace_role the role', async () => {
    expect(await verifier.verify(await hs256({ sub: 'ana@example.org', labortrace_role: 'analyst' }))).toEqual({ actor: 'ana@example.org', role: 'analyst' });
  });

  it('expired, without exp, wrong secret, missing or unknown role, no sub: unauthenticated', async () => {
    expect(await refused(verifier.verify(await hs256({ sub: 'a', labortrace_role: 'viewer' }, SECRET, now() - 10)))).toMatch(/expired/);
    expect(await refused(verifier.verify(await hs256({ sub: 'a', labortrace_role: 'viewer' }, SECRET, null)))).toMatch(/exp/);
    expect(await refused(verifier.verify(await hs256({ sub: 'a', labortrace_role: 'viewer' }, 'another-secret-that-is-also-32-bytes-long')))).toMatch(/signature/);
    expect(await refused(verifier.verify(await hs256({ sub: 'a' })))).toMatch(/labortrace_role/);
    expect(await refused(verifier.verify(await hs256({ sub: 'a', labortrace_role: 'superuser' })))).toMatch(/labortrace_role/);
    expect(await refused(verifier.verify(await hs256({ labortrace_role: 'viewer' })))).toMatch(/sub/);
    expect(await refused(verifier.verify('not.a.jwt'))).toMatch(/malformed|not valid/);
  });

  it('reads the role from the configured claim', async () => {
    const custom = createJwtVerifier(jwtSettings({ LABORTRACE_JWT_SECRET: SECRET, LABORTRACE_JWT_ROLE_CLAIM: 'https://labortrace/role' })!);
    expect(await custom.verify(await hs256({ sub: 'x', 'https://labortrace/role': 'investigator' }))).toEqual({ actor: 'x', role: 'investigator' });
    await refused(custom.verify(await hs256({ sub: 'x', labortrace_role: 'investigator' })));
  });

  it('an unsigned token (alg none) is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'x', labortrace_role: 'admin', exp: now() + 60 })).toString('base64url');
    await refused(verifier.verify(`${header}.${body}.`));
  });
});

describe('JWKS (RS256 and ES256) from a local key set server', () => {
  let server: http.Server;
  let url: string;
  let rsa: { privateKey: KeyLike; publicKey: KeyLike };
  let ec: { privateKey: KeyLike; publicKey: KeyLike };
  let other: { privateKey: KeyLike; publicKey: KeyLike };
  let fetches = 0;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    other = await generateKeyPair('RS256');
    const keys = [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' }, { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' }];
    server = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (key: KeyLike, alg: string, kid: string, claims: Record<string, unknown>, exp = now() + 300) =>
    new SignJWT(claims).setProtectedHeader({ alg, kid }).setExpirationTime(exp).sign(key);

  it('accepts RS256 and ES256 tokens signed by a key of the set, and fetches the set once', async () => {
    const verifier = createJwtVerifier(jwtSettings({ LABORTRACE_JWKS_URL: url })!);
    expect(await verifier.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1', { sub: 'sso|42', labortrace_role: 'investigator' }))).toEqual({ actor: 'sso|42', role: 'investigator' });
    expect(await verifier.verify(await sign(ec.privateKey, 'ES256', 'ec-1', { sub: 'sso|43', labortrace_role: 'viewer' }))).toEqual({ actor: 'sso|43', role: 'viewer' });
    expect(fetches).toBe(1);
  });

  it('refuses a key outside the set, an expired token, and HS256 when no secret is set', async () => {
    const verifier = createJwtVerifier(jwtSettings({ LABORTRACE_JWKS_URL: url })!);
    await refused(verifier.verify(await sign(other.privateKey, 'RS256', 'rsa-1', { sub: 'x', labortrace_role: 'admin' })));
    await refused(verifier.verify(await sign(other.privateKey, 'RS256', 'unknown', { sub: 'x', labortrace_role: 'admin' })));
    expect(await refused(verifier.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1', { sub: 'x', labortrace_role: 'admin' }, now() - 5)))).toMatch(/expired/);
    await refused(verifier.verify(await hs256({ sub: 'x', labortrace_role: 'admin' })));
  });

  it('checks issuer and audience when they are configured', async () => {
    const verifier = createJwtVerifier(jwtSettings({ LABORTRACE_JWKS_URL: url, LABORTRACE_JWT_ISSUER: 'https://idp.example', LABORTRACE_JWT_AUDIENCE: 'labortrace' })!);
    const good = await new SignJWT({ sub: 'x', labortrace_role: 'viewer' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setIssuer('https://idp.example').setAudience('labortrace').setExpirationTime(now() + 60).sign(rsa.privateKey);
    expect(await verifier.verify(good)).toEqual({ actor: 'x', role: 'viewer' });
    const otherApp = await new SignJWT({ sub: 'x', labortrace_role: 'viewer' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
      .setIssuer('https://idp.example').setAudience('another-app').setExpirationTime(now() + 60).sign(rsa.privateKey);
    expect(await refused(verifier.verify(otherApp))).toMatch(/aud/);
  });

  it('an unreachable JWKS refuses the token (401), it does not fail the server', async () => {
    const verifier = createJwtVerifier(jwtSettings({ LABORTRACE_JWKS_URL: 'http://127.0.0.1:1/jwks.json' })!);
    await refused(verifier.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1', { sub: 'x', labortrace_role: 'viewer' })));
  });
});

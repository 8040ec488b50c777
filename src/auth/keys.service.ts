import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Neo4jClient } from '../db/neo4j-client';
import { isRole, ROLES, type Principal, type Role } from './principal';

/**
 * API keys (ACCESS.md, "Authentication"). A key reads `lt_<id>_<secret>`: `id` is 16 hex digits (8 random bytes)
 * that find the stored key with one indexed lookup, `secret` is 32 random bytes in base64url. The database keeps
 * the id, name, role, dates and an scrypt hash of the secret, never the key.
 *
 * Hash: scrypt (node:crypto) with N = 16384, r = 8, p = 1 (16 MiB of memory), a random 16-byte salt and a 32-byte
 * output, stored as `scrypt$N$r$p$<salt>$<hash>` (base64url), so the parameters can be raised later without
 * invalidating older keys.
 *
 * Every request looks its key up in Neo4j (no cache of the store), so a revocation, in any process, is effective at
 * the next request. What is remembered in memory is only that a given secret matched a given stored hash, so that
 * the slow hash runs once per key and process rather than once per request; the lookup still has to find the same
 * stored hash.
 */
export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

const KEY_PATTERN = /^lt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** lastUsed is written at most once a minute per key. */
const TOUCH_INTERVAL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** A refused key operation (bad name or role, duplicate name): its message is for the user. */
export class KeyError extends Error {}

export interface KeyInfo {
  name: string;
  role: Role;
  /** ISO 8601 instants */
  created: string;
  lastUsed: string | null;
}

export interface CreatedKey extends KeyInfo {
  /** The key itself, shown once. */
  key: string;
}

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, keyLength, options, (e, hash) => (e ? reject(e) : resolve(hash))));
}

export async function hashSecret(secret: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const hash = await scryptAsync(secret, salt, keyLength, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const actual = await scryptAsync(secret, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/** The id part of a key, or null when the text is not a labortrace key at all. */
export function keyId(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

export function looksLikeKey(token: string): boolean {
  return token.startsWith('lt_');
}

export class KeyService {
  /** id -> (stored hash, sha-256 of the secret that matched it): spares the slow hash on later requests. */
  private readonly verified = new Map<string, { hash: string; digest: Buffer }>();

  constructor(private readonly client: Neo4jClient) {}

  async create(name: string, role: string): Promise<CreatedKey> {
    if (!NAME_PATTERN.test(name)) {
      throw new KeyError(`invalid key name '${name}': 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`);
    }
    if (!isRole(role)) throw new KeyError(`invalid role '${role}': one of ${ROLES.join(', ')}`);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const hash = await hashSecret(secret);
    const created = new Date().toISOString();
    try {
      await this.client.writeTx((tx) => tx.run('auth/create-key', { id, name, role, hash, created }));
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code === 'Neo.ClientError.Schema.ConstraintValidationFailed' && /`?name`?/.test(err.message ?? '')) {
        throw new KeyError(`a key named '${name}' already exists (revoke it first: labortrace keys revoke ${name})`);
      }
      throw e;
    }
    return { key: `lt_${id}_${secret}`, name, role, created, lastUsed: null };
  }

  async list(): Promise<KeyInfo[]> {
    return this.client.read<KeyInfo>('auth/list-keys');
  }

  /** False when there is no key of that name. */
  async revoke(name: string): Promise<boolean> {
    const [{ revoked }] = await this.client.writeTx(async (tx) =>
      (await tx.run('auth/revoke-key', { name })).records.map((r) => r.toObject() as { revoked: number }));
    return revoked > 0;
  }

  async anyKey(): Promise<boolean> {
    const [{ any }] = await this.client.read<{ any: boolean }>('auth/any-key');
    return any;
  }

  /** The principal of a presented key, or null when it is malformed, unknown, revoked or wrong. */
  async verify(key: string): Promise<Principal | null> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return null;
    const [, id, secret] = match;
    const [row] = await this.client.read<{ name: string; role: string; hash: string; lastUsed: string | null }>('auth/find-key', { id });
    if (!row) {
      this.verified.delete(id);
      return null;
    }
    const digest = createHash('sha256').update(secret).digest();
    const known = this.verified.get(id);
    if (!(known && known.hash === row.hash && timingSafeEqual(known.digest, digest))) {
      if (!(await verifySecret(secret, row.hash))) return null;
      if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
      this.verified.set(id, { hash: row.hash, digest });
    }
    if (!isRole(row.role)) return null;
    await this.touch(id, row.lastUsed);
    return { actor: row.name, role: row.role };
  }

  private async touch(id: string, lastUsed: string | null): Promise<void> {
    const now = Date.now();
    if (lastUsed !== null && now - Date.parse(lastUsed) < TOUCH_INTERVAL_MS) return;
    try {
      await this.client.writeTx((tx) => tx.run('auth/touch-key', {
        id, now: new Date(now).toISOString(), before: new Date(now - TOUCH_INTERVAL_MS).toISOString(),
      }));
    } catch {
      // lastUsed is informational: a failed write (a read-only replica, a busy store) never refuses the request.
    }
  }
}

import { SignJWT } from 'jose';
import { assertListenAllowed, createAuthenticator, ListenRefusedError } from '../../src/auth/authenticator';
import { KeyError, KeyService } from '../../src/auth/keys.service';
import { LOCAL_PRINCIPAL, UnauthenticatedError, type Authenticator } from '../../src/auth/principal';
import { CliError } from '../../src/cli/args';
import { keysCommand } from '../../src/cli/keys.command';
import { loadConfig } from '../../src/config';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { dumpGraph, datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';

let client: Neo4jClient;

beforeAll(async () => {
  client = await testClient();
});
beforeEach(async () => {
  await resetGraph(client);
});
afterAll(async () => {
  await resetGraph(client);
  await client.close();
});

async function refused(auth: Authenticator, header: string | undefined): Promise<string> {
  try {
    await auth.authenticate(header);
  } catch (e) {
    expect(e).toBeInstanceOf(UnauthenticatedError);
    return (e as Error).message;
  }
  throw new Error(`expected ${header ?? 'no header'} to be refused`);
}

async function storedKeys(): Promise<Record<string, unknown>[]> {
  const session = client.driver.session({ database: client.database });
  try {
    return (await session.run('MATCH (k:ApiKey) RETURN properties(k) AS p')).records.map((r) => r.get('p'));
  } finally {
    await session.close();
  }
}

describe('local mode', () => {
  it('with no key and no JWT setting every request is admin "local", on loopback only', async () => {
    const auth = createAuthenticator(client, {});
    expect(await auth.localMode()).toBe(true);
    expect(await auth.authenticate(undefined)).toEqual(LOCAL_PRINCIPAL);
    await refused(auth, 'Bearer whatever'); // a credential that is presented must be valid, even in local mode
    await expect(assertListenAllowed('127.0.0.1', auth)).resolves.toBeUndefined();
    await expect(assertListenAllowed('localhost', auth)).resolves.toBeUndefined();
    await expect(assertListenAllowed('::1', auth)).resolves.toBeUndefined();
    await expect(assertListenAllowed('0.0.0.0', auth)).rejects.toThrow(ListenRefusedError);
    await expect(assertListenAllowed('0.0.0.0', auth)).rejects.toThrow(/labortrace keys create/);
  });

  it('a JWT setting alone ends local mode', async () => {
    const auth = createAuthenticator(client, { LABORTRACE_JWT_SECRET: 'x'.repeat(32) });
    expect(await auth.localMode()).toBe(false);
    await refused(auth, undefined);
    await expect(assertListenAllowed('0.0.0.0', auth)).resolves.toBeUndefined();
  });

  it('a key created elsewhere (another process: another authenticator) ends local mode at the next request', async () => {
    const server = createAuthenticator(client, {});
    expect(await server.authenticate(undefined)).toEqual(LOCAL_PRINCIPAL);
    await new KeyService(client).create('ops', 'admin');
    expect(await server.localMode()).toBe(false);
    expect(await refused(server, undefined)).toMatch(/credentials required/);
  });

  it('listening beyond loopback latches: revoking the last key does not reopen the server as local admin', async () => {
    const keys = new KeyService(client);
    await keys.create('only', 'viewer');
    const server = createAuthenticator(client, {});
    await assertListenAllowed('0.0.0.0', server);
    await keys.revoke('only');
    expect(await server.localMode()).toBe(false);
    await refused(server, undefined);
    // a loopback server in the same situation goes back to local mode, as ACCESS.md says
    expect(await createAuthenticator(client, {}).localMode()).toBe(true);
  });
});

describe('API keys', () => {
  it('create → authenticate: the key is lt_<id>_<secret>; the store holds only an scrypt hash', async () => {
    const keys = new KeyService(client);
    const created = await keys.create('ci-reader', 'viewer');
    expect(created.key).toMatch(/^lt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const secret = created.key.slice(20);
    const [stored] = await storedKeys();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored).toMatchObject({ name: 'ci-reader', role: 'viewer', hash: expect.stringMatching(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/) });

    const auth = createAuthenticator(client, {});
    expect(await auth.authenticate(`Bearer ${created.key}`)).toEqual({ actor: 'ci-reader', role: 'viewer' });
    expect(await auth.authenticate(`bearer   ${created.key} `)).toEqual({ actor: 'ci-reader', role: 'viewer' });
    const wrongSecret = created.key.slice(0, -4) + (created.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await refused(auth, `Bearer ${wrongSecret}`)).toMatch(/not valid/);
    expect(await refused(auth, 'Bearer lt_0000000000000000_' + 'A'.repeat(43))).toMatch(/not valid/);
    expect(await refused(auth, `Basic ${created.key}`)).toMatch(/Bearer/);
    expect(await refused(auth, undefined)).toMatch(/credentials required/);
    expect(await refused(auth, 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x')).toMatch(/JWT setting/);
  });

  it('list never shows a key; lastUsed is recorded on use', async () => {
    const keys = new KeyService(client);
    const a = await keys.create('alice', 'investigator');
    const b = await keys.create('bob', 'analyst');
    expect((await keys.list()).map((k) => [k.name, k.role, k.lastUsed])).toEqual([['alice', 'investigator', null], ['bob', 'analyst', null]]);
    await createAuthenticator(client, {}).authenticate(`Bearer ${a.key}`);
    const listed = await keys.list();
    expect(listed[0].lastUsed).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(Date.parse(listed[0].created)).toBeLessThanOrEqual(Date.parse(listed[0].lastUsed!));
    const text = JSON.stringify(listed);
    for (const k of [a.key, b.key]) {
      expect(text).not.toContain(k.slice(3, 19));
      expect(text).not.toContain(k.slice(20));
    }
  });

  it('revoke is effective at once, also for an authenticator that accepted the key a moment ago', async () => {
    const keys = new KeyService(client);
    const { key } = await keys.create('temp', 'analyst');
    const running = createAuthenticator(client, {});
    expect(await running.authenticate(`Bearer ${key}`)).toEqual({ actor: 'temp', role: 'analyst' });
    expect(await running.authenticate(`Bearer ${key}`)).toEqual({ actor: 'temp', role: 'analyst' });
    await keys.create('keeper', 'viewer'); // another key keeps the server out of local mode
    expect(await new KeyService(client).revoke('temp')).toBe(true);
    expect(await refused(running, `Bearer ${key}`)).toMatch(/not valid/);
    expect(await keys.revoke('temp')).toBe(false);
  });

  it('names are unique, roles and names validated', async () => {
    const keys = new KeyService(client);
    await keys.create('dup', 'viewer');
    await expect(keys.create('dup', 'admin')).rejects.toThrow(KeyError);
    await expect(keys.create('dup', 'admin')).rejects.toThrow(/already exists/);
    await expect(keys.create('x', 'root')).rejects.toThrow(/invalid role 'root'/);
    await expect(keys.create('has space', 'viewer')).rejects.toThrow(/invalid key name/);
    await expect(keys.create('', 'viewer')).rejects.toThrow(/invalid key name/);
    expect((await keys.list()).map((k) => k.name)).toEqual(['dup']);
  });

  it('keys are not part of the graph: exports (and traces, which read :Entity) never see them', async () => {
    await importDir(client, datasetDir({ 'companies.csv': 'id,name,country,evidence\nCO-A,A Co,US,\n' }));
    await new KeyService(client).create('hidden', 'admin');
    const dump = await dumpGraph(client);
    expect(dump.some((l) => l.includes('CO-A'))).toBe(true);
    expect(dump.some((l) => /ApiKey|hidden|scrypt/.test(l))).toBe(false);
  });

  it('one key check costs one indexed lookup once its secret was verified (the slow hash runs once per process)', async () => {
    const { key } = await new KeyService(client).create('timed', 'viewer');
    const auth = createAuthenticator(client, {});
    let t = process.hrtime.bigint();
    await auth.authenticate(`Bearer ${key}`);
    const first = Number(process.hrtime.bigint() - t) / 1e6;
    const rounds = 50;
    t = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) await auth.authenticate(`Bearer ${key}`);
    const later = Number(process.hrtime.bigint() - t) / 1e6 / rounds;
    process.stderr.write(`key check: first ${first.toFixed(1)} ms (scrypt), then ${later.toFixed(2)} ms per request\n`);
    expect(later).toBeLessThan(first);
  });
});

describe('labortrace keys', () => {
  const cfg = () => ({ ...loadConfig({ ...process.env, NEO4J_URI: process.env.LABORTRACE_TEST_NEO4J_URI, NEO4J_USER: process.env.LABORTRACE_TEST_NEO4J_USER ?? 'neo4j', NEO4J_PASSWORD: process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '', NEO4J_DATABASE: process.env.LABORTRACE_TEST_NEO4J_DATABASE ?? '' }) });

  async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
    const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
    try {
      return { code: await keysCommand(cfg(), args), out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('create prints the key alone on one line; list shows a table without it; revoke ends it; revoking again fails', async () => {
    const created = await capture(['create', '--role', 'analyst', '--name', 'cli-key']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^lt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/);
    const key = created.out.trim();
    expect(await createAuthenticator(client, {}).authenticate(`Bearer ${key}`)).toEqual({ actor: 'cli-key', role: 'analyst' });

    const listed = await capture(['list']);
    expect(listed.out.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+CREATED\s+LAST USED$/);
    expect(listed.out).toMatch(/cli-key\s+analyst\s+\d{4}-/);
    expect(listed.out).not.toContain(key.slice(20));

    expect((await capture(['revoke', 'cli-key'])).code).toBe(0);
    await refused(createAuthenticator(client, { LABORTRACE_JWT_SECRET: 'y'.repeat(32) }), `Bearer ${key}`);
    await expect(capture(['revoke', 'cli-key'])).rejects.toThrow(CliError);
    await expect(capture(['revoke', 'cli-key'])).rejects.toThrow(/no key named 'cli-key'/);
  });

  it('refuses bad usage before touching the database', async () => {
    await expect(capture(['create', '--name', 'x'])).rejects.toThrow(/--role/);
    await expect(capture(['create', '--role', 'viewer'])).rejects.toThrow(/--name/);
    await expect(capture(['rotate'])).rejects.toThrow(/unknown keys action/);
    await expect(capture(['revoke'])).rejects.toThrow(/NAME/);
    await expect(capture(['create', '--role', 'boss', '--name', 'x'])).rejects.toThrow(/invalid role/);
  });
});

describe('JWT beside keys', () => {
  it('a bearer JWT authenticates with its sub and role claim; a key still works', async () => {
    const secret = 'z'.repeat(40);
    const auth = createAuthenticator(client, { LABORTRACE_JWT_SECRET: secret });
    const token = await new SignJWT({ sub: 'sso-user', labortrace_role: 'investigator' }).setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    expect(await auth.authenticate(`Bearer ${token}`)).toEqual({ actor: 'sso-user', role: 'investigator' });
    const { key } = await new KeyService(client).create('svc', 'viewer');
    expect(await auth.authenticate(`Bearer ${key}`)).toEqual({ actor: 'svc', role: 'viewer' });
    expect(await refused(auth, `Bearer ${token}x`)).toMatch(/signature|not valid/);
  });
});

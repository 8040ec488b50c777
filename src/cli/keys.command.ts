import { KeyError, KeyService, type KeyInfo } from '../auth/keys.service';
import { ROLES } from '../auth/principal';
import type { Config } from '../config';
import { ensureGraphSchema } from '../db/graph-schema';
import { connect } from '../db/neo4j-client';
import { CliError, EXIT_OK, UsageError, parseCommand, type CommandSpec } from './args';

export const KEYS_SPEC: CommandSpec = {
  name: 'keys',
  synopsis: 'create --role ROLE --name NAME | list | revoke NAME',
  brief: 'create, list and revoke API keys',
  summary: 'Manages API keys: create prints a new key alone on one line of stdout (shown once), list shows name, role, created and last used, revoke ends a key at once.',
  options: {
    role: { type: 'string', value: 'ROLE', description: `create: ${ROLES.join(', ')}` },
    name: { type: 'string', value: 'NAME', description: 'create: the key\'s name, recorded as the actor of its changes' },
  },
  positionals: { names: ['create|list|revoke', 'NAME'], min: 1 },
  details: [
    'The database keeps only a hash of each key. Once any key exists, every request to /graphql needs one ' +
      '(Authorization: Bearer <key>); with none (and no JWT setting) the server runs in local mode, on loopback only.',
  ],
};

/** `labortrace keys create|list|revoke`, against the embedded Neo4j or NEO4J_URI like every command. */
export async function keysCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(KEYS_SPEC, args);
  if (!parsed) return EXIT_OK;
  const [action, name] = parsed.positionals;
  const role = parsed.values.role as string | undefined;
  const keyName = parsed.values.name as string | undefined;
  switch (action) {
    case 'create':
      if (name !== undefined) throw new UsageError(`create takes --name NAME, not an argument ('${name}')`, 'keys');
      if (!role) throw new UsageError('create needs --role ROLE', 'keys');
      if (!keyName) throw new UsageError('create needs --name NAME', 'keys');
      break;
    case 'list':
      if (name !== undefined) throw new UsageError(`list takes no argument ('${name}')`, 'keys');
      break;
    case 'revoke':
      if (name === undefined) throw new UsageError('revoke needs the key\'s NAME', 'keys');
      break;
    default:
      throw new UsageError(`unknown keys action '${action}' (create, list or revoke)`, 'keys');
  }
  if (action !== 'create' && (role !== undefined || keyName !== undefined)) {
    throw new UsageError(`--role and --name belong to create, not ${action}`, 'keys');
  }

  const client = await connect(cfg);
  try {
    await ensureGraphSchema(client);
    const keys = new KeyService(client);
    switch (action) {
      case 'create': {
        let created;
        try {
          created = await keys.create(keyName!, role!);
        } catch (e) {
          if (e instanceof KeyError) throw new CliError(e.message);
          throw e;
        }
        process.stdout.write(`${created.key}\n`);
        process.stderr.write(`labortrace: created key '${created.name}' (${created.role}); it is shown only this once\n`);
        return EXIT_OK;
      }
      case 'list':
        process.stdout.write(formatKeys(await keys.list()));
        return EXIT_OK;
      default: {
        if (!(await keys.revoke(name!))) throw new CliError(`no key named '${name}' (labortrace keys list shows them)`);
        process.stderr.write(`labortrace: revoked key '${name}'\n`);
        return EXIT_OK;
      }
    }
  } finally {
    await client.close();
  }
}

/** A plain table: a header line, then one line per key; no key ever appears (only hashes are stored). */
export function formatKeys(rows: KeyInfo[]): string {
  const table = [['NAME', 'ROLE', 'CREATED', 'LAST USED'], ...rows.map((k) => [k.name, k.role, k.created, k.lastUsed ?? 'never'])];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  return table.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 2))).join('')).join('\n') + '\n';
}

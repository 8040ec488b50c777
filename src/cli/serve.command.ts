import path from 'node:path';
import { assertListenAllowed, createAuthenticator, ListenRefusedError } from '../auth/authenticator';
import { PROJECT_ROOT, type Config } from '../config';
import { ensureGraphSchema } from '../db/graph-schema';
import { settleStagedImports } from '../changes/staging';
import { connect } from '../db/neo4j-client';
import { EntityService } from '../entity/entity.service';
import { startServer } from '../graphql/server';
import { TraceService } from '../trace/trace.service';
import { importList } from '../lists/list-import.service';
import { formatSummary, importDirectory } from './import.command';
import { CliError, EXIT_FAILURE, EXIT_OK, parseCommand, parseHost, parsePort, type CommandSpec } from './args';

export const SEED_DIR = path.join(PROJECT_ROOT, 'seed');
/** The shipped list version the demo matches against (seed/lists, README "Watch lists"). */
export const SEED_LISTS_DIR = path.join(SEED_DIR, 'lists', 'ofac-sdn-2021-09-17');

export const SERVE_SPEC: CommandSpec = {
  name: 'serve',
  synopsis: '[--port N] [--host H] [--no-seed]',
  brief: 'the GraphQL API (default http://127.0.0.1:4000/graphql)',
  summary: 'Serves the GraphQL API (what npm start runs) until SIGINT or SIGTERM; imports the demo dataset in seed/ when the database is empty.',
  options: {
    port: { type: 'string', short: 'p', value: 'N', description: 'TCP port, 0..65535 (default: PORT or 4000; 0 picks a free one)' },
    host: { type: 'string', value: 'H', description: 'address to listen on (default: HOST or 127.0.0.1)' },
    'no-seed': { type: 'boolean', description: 'never import the demo dataset (also LABORTRACE_SEED=0)' },
  },
  positionals: { names: [], min: 0 },
};

/** Serves the API; on an empty database it first imports the demo dataset (unless --no-seed). */
export async function serveCommand(cfg: Config, args: string[]): Promise<number> {
  const parsed = parseCommand(SERVE_SPEC, args);
  if (!parsed) return EXIT_OK;
  const port = typeof parsed.values.port === 'string' ? parsePort(parsed.values.port) : cfg.port;
  const host = typeof parsed.values.host === 'string' ? parseHost(parsed.values.host) : cfg.host;
  const noSeed = parsed.values['no-seed'] === true;
  const client = await connect(cfg);
  await ensureGraphSchema(client);
  let authenticator: ReturnType<typeof createAuthenticator>;
  try {
    authenticator = createAuthenticator(client);
    await assertListenAllowed(host, authenticator);
  } catch (e) {
    await client.close();
    throw e instanceof ListenRefusedError ? new CliError(e.message) : e; // a bad JWT setting is a ConfigError: exit 2
  }
  // what a killed staged import left: its rows deleted once its lease ran out, a published one's marks cleared
  await settleStagedImports(client, { log: (m) => process.stderr.write(`labortrace: ${m}\n`) });
  const [{ count }] = await client.read<{ count: number }>('admin/count-entities');
  if (count === 0 && !noSeed && process.env.LABORTRACE_SEED !== '0') {
    process.stderr.write(`labortrace: the database is empty; importing the demo dataset from ${SEED_DIR}\n`);
    const summary = await importDirectory(cfg, SEED_DIR, false, { actor: 'labortrace', reason: 'demo dataset loaded on first start (seed/)', source: 'import' });
    if (!summary) {
      await client.close();
      return EXIT_FAILURE;
    }
    process.stderr.write(formatSummary(summary));
    // the demo's watch list: a real OFAC SDN version, so that a pending match candidate waits out of the box
    const lists = await importList(client, {
      format: 'ofac-sdn', source: SEED_LISTS_DIR, label: null, actor: 'labortrace', threshold: cfg.matchThreshold,
    });
    process.stderr.write(`labortrace: imported the ${lists.version.list} list version ${lists.version.label} (${lists.version.entryCount} entries); `
      + `${lists.matching.pending} match candidate(s) wait for review (GraphQL listMatches)\n`);
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  const trace = new TraceService(client, cfg.snapshotMaxRows, cfg.traceMaxSteps, cfg.requestMaxSteps, cfg.snapshotDir);
  try {
    server = await startServer({ client, entities: new EntityService(client), trace, authenticator }, port, host);
  } catch (e) {
    await client.close();
    throw listenError(e, host, port) ?? e;
  }
  process.stderr.write(`labortrace: GraphQL API at ${server.url}\n`);
  // the whole-graph snapshot is read now (from its saved file when there is one), in the background, rather than
  // when the first screen asks for it; traces meanwhile read their regions
  trace.snapshots.ifCurrent().catch((e) => process.stderr.write(`labortrace: loading the graph snapshot failed: ${e?.message ?? e}\n`));
  if (await authenticator.localMode()) {
    process.stderr.write('labortrace: local mode: no API key and no JWT setting, so every request runs as admin (actor "local") '
      + 'and the API listens on loopback only; `labortrace keys create` ends local mode\n');
  }
  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  await server.stop();
  await trace.snapshots.saved(); // a save under way finishes (else it leaves only its temporary file)
  await client.close();
  return 0;
}

/** A failure to listen, as one line (the port is taken, not allowed, or the address is not this machine's). */
export function listenError(e: unknown, host: string, port: number): CliError | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE': return new CliError(`cannot listen on ${where}: the port is in use (another server runs there; choose another with --port or PORT)`);
    case 'EACCES': return new CliError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges; choose another with --port)`);
    case 'EADDRNOTAVAIL': return new CliError(`cannot listen on ${where}: the address is not one of this machine's (check --host or HOST)`);
    case 'ENOTFOUND': case 'EAI_AGAIN': return new CliError(`cannot listen on ${where}: the host name does not resolve (check --host or HOST)`);
    default: return undefined;
  }
}

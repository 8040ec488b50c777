import path from 'node:path';
import { PROJECT_ROOT, type Config } from '../config';
import { ensureGraphSchema } from '../db/graph-schema';
import { connect } from '../db/neo4j-client';
import { EntityService } from '../entity/entity.service';
import { startServer } from '../graphql/server';
import { TraceService } from '../trace/trace.service';
import { formatSummary, importDirectory } from './import.command';
import { option } from './main';

export const SEED_DIR = path.join(PROJECT_ROOT, 'seed');

/** Serves the API; on an empty database it first imports the demo dataset (unless --no-seed). */
export async function serveCommand(cfg: Config, args: string[]): Promise<number> {
  const port = Number(option(args, 'port') ?? cfg.port);
  const host = option(args, 'host') ?? cfg.host;
  const client = await connect(cfg);
  await ensureGraphSchema(client);
  const [{ count }] = await client.read<{ count: number }>('admin/count-entities');
  if (count === 0 && !args.includes('--no-seed') && process.env.LABORTRACE_SEED !== '0') {
    process.stderr.write(`labortrace: the database is empty; importing the demo dataset from ${SEED_DIR}\n`);
    const summary = await importDirectory(cfg, SEED_DIR);
    if (!summary) return 1;
    process.stderr.write(formatSummary(summary));
  }
  const server = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client, cfg.snapshotMaxRows) }, port, host);
  process.stderr.write(`labortrace: GraphQL API at ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const shutdown = () => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  await server.stop();
  await client.close();
  return 0;
}

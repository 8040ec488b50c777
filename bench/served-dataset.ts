import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config';
import { ensureRunning } from '../src/db/embedded-neo4j';
import { ensureGraphSchema } from '../src/db/graph-schema';
import { connect } from '../src/db/neo4j-client';
import { readDataset } from '../src/dataset/dataset.reader';
import { formatError } from '../src/dataset/dataset.types';
import { importDataset } from '../src/import/import.service';
import { freePort, startApi } from './run';

export interface ServedDataset {
  cfg: Config;
  /** LABORTRACE_HOME of its embedded Neo4j. */
  home: string;
  neo4jVersion: string;
  /** http://127.0.0.1:PORT */
  base: string;
  /** base + /graphql */
  url: string;
  api: ChildProcess;
}

/**
 * A dataset in an embedded Neo4j of its own (.labortrace/<label>, imported on first use and reused after), served
 * by `labortrace serve` on a free port: what the views bench and the screenshot script look at.
 */
export async function serveDataset(label: string, dataset: string, log: (msg: string) => void, heapMb = 4096): Promise<ServedDataset> {
  const home = path.join(PROJECT_ROOT, '.labortrace', label);
  const cfg = { ...loadConfig({ ...process.env, LABORTRACE_HOME: home, NEO4J_URI: '' }), heap: '2g', pageCache: '512m' };
  await ensureRunning(cfg);
  const client = await connect(cfg);
  try {
    await ensureGraphSchema(client);
    const [{ count }] = await client.read<{ count: number }>('admin/count-entities');
    if (Number(count) === 0) {
      log(`${label}: importing ${path.relative(PROJECT_ROOT, dataset)}`);
      const read = await readDataset(dataset);
      if (!read.ok) throw new Error(read.errors.map(formatError).join('\n'));
      await importDataset(client, read.dataset);
    }
    const [db] = await client.read<{ version: string }>('admin/dbms-components');
    const port = await freePort();
    const { child, url } = await startApi(cfg, port, heapMb);
    return { cfg, home, neo4jVersion: db.version, base: `http://127.0.0.1:${port}`, url, api: child };
  } finally {
    await client.close();
  }
}


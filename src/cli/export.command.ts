import type { Config } from '../config';
import { connect } from '../db/neo4j-client';
import { exportDataset } from '../export/export.service';
import { positional } from './main';

export async function exportCommand(cfg: Config, args: string[]): Promise<number> {
  const dir = positional(args, 'output directory');
  const client = await connect(cfg);
  try {
    const { files } = await exportDataset(client, dir);
    for (const [file, rows] of Object.entries(files)) process.stdout.write(`${file}: ${rows} rows\n`);
    return 0;
  } finally {
    await client.close();
  }
}

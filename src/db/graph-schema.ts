import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config';
import type { Neo4jClient } from './neo4j-client';

/** Applies cypher/schema/*.cypher in file order; every statement is IF NOT EXISTS, so this is safe at each start. */
export async function ensureGraphSchema(client: Neo4jClient): Promise<void> {
  const dir = path.join(PROJECT_ROOT, 'cypher', 'schema');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cypher')).sort()) {
    await client.schema(`schema/${file.replace(/\.cypher$/, '')}`);
  }
}

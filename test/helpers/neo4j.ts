import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { readDataset } from '../../src/dataset/dataset.reader';
import { ensureGraphSchema } from '../../src/db/graph-schema';
import { Neo4jClient } from '../../src/db/neo4j-client';
import { exportDataset } from '../../src/export/export.service';
import { importDataset, type ImportSummary } from '../../src/import/import.service';
import { formatError } from '../../src/dataset/dataset.types';

/** A client of the test database (global-setup.ts started it). */
export async function testClient(): Promise<Neo4jClient> {
  const uri = process.env.LABORTRACE_TEST_NEO4J_URI;
  if (!uri) throw new Error('LABORTRACE_TEST_NEO4J_URI is not set; run the tests through jest (global setup)');
  const user = process.env.LABORTRACE_TEST_NEO4J_USER;
  const driver = neo4j.driver(uri, user ? neo4j.auth.basic(user, process.env.LABORTRACE_TEST_NEO4J_PASSWORD ?? '') : undefined,
    { disableLosslessIntegers: true });
  const client = new Neo4jClient(driver, process.env.LABORTRACE_TEST_NEO4J_DATABASE || undefined);
  await ensureGraphSchema(client);
  return client;
}

/** Each test starts from an empty graph: tests run one at a time (jest --runInBand) against the one database. */
export async function resetGraph(client: Neo4jClient): Promise<void> {
  for (;;) {
    const [{ deleted }] = await client.writeTx(async (tx) =>
      (await tx.run('admin/delete-all-batch', { limit: neo4j.int(10_000) })).records.map((r) => r.toObject() as { deleted: number }));
    if (deleted === 0) break;
  }
}

/** Writes CSV files into a fresh temporary directory. */
export function datasetDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'labortrace-test-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Validates and imports a dataset directory, failing the test with the validation errors if it is invalid. */
export async function importDir(client: Neo4jClient, dir: string): Promise<ImportSummary> {
  const result = await readDataset(dir);
  if (!result.ok) throw new Error(`invalid test dataset:\n${result.errors.map(formatError).join('\n')}`);
  return importDataset(client, result.dataset);
}

/** Exports the whole graph, empties the database and imports the export back (a round trip). */
export async function exportAndReimport(client: Neo4jClient): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
  await exportDataset(client, out);
  await resetGraph(client);
  await importDir(client, out);
}

/** Every node and relationship with its properties, in a canonical order: "the same graph" means equal dumps. */
export async function dumpGraph(client: Neo4jClient): Promise<string[]> {
  // internal properties are not the graph's content: `_version` counts the change sets behind an entity (CHANGES.md),
  // `_staged` marks a staged import's rows until its marks are cleared (staging/count-marked checks those)
  const canonical = (props: Record<string, unknown>) =>
    JSON.stringify(Object.keys(props).filter((k) => !k.startsWith('_')).sort().map((k) => [k, Array.isArray(props[k]) ? props[k] : String(props[k])]));
  const lines: string[] = [];
  await client.readTx(async (tx) => {
    for await (const r of tx.stream<{ labels: string[]; props: Record<string, unknown> }>('export/nodes')) {
      lines.push(`node ${[...r.labels].sort().join(':')} ${canonical(r.props)}`);
    }
    for await (const r of tx.stream<{ type: string; source: string; target: string; props: Record<string, unknown> }>('export/relationships')) {
      lines.push(`rel ${r.type} ${r.source} ${r.target} ${canonical(r.props)}`);
    }
  });
  return lines.sort();
}

import path from 'node:path';
import { readDataset } from '../../src/dataset/dataset.reader';
import { formatError } from '../../src/dataset/dataset.types';
import { LABOR_REL_TYPES } from '../../src/model/graph-model';
import { bruteForce, type BrutePath } from './brute-force';
import type { GenDataset, GenRow } from './random-dataset';

export const SEED_DIR = path.join(__dirname, '..', '..', 'seed');

/**
 * A dataset directory (the demo seed by default) as the brute-force enumerator's GenDataset, so that tests can
 * derive expected counts from TRACE-SEMANTICS.md's simplest reading instead of copying them from the output.
 * Only the reader is shared with the code under test; which rows exist is what the CSV files say.
 */
export async function genDatasetOf(dir: string = SEED_DIR): Promise<GenDataset> {
  const result = await readDataset(dir);
  if (!result.ok) throw new Error(`invalid dataset ${dir}:\n${result.errors.map(formatError).join('\n')}`);
  const { nodes, relationships } = result.dataset;
  const of = (kind: string) => nodes.filter((n) => n.kind === kind);
  const text = (v: unknown) => (v === undefined ? null : String(v));
  const rows: GenRow[] = relationships
    .filter((r) => r.type !== 'SHIPMENT_OF' && r.type !== 'IMPORTED_BY')
    .map((r) => ({
      type: r.type, source: r.source, target: r.target,
      rawFrom: text(r.props.from_text) ?? r.from, rawTo: text(r.props.to_text) ?? r.to,
      from: r.from, to: r.to, placement: r.placement,
      rebutted: LABOR_REL_TYPES.has(r.type) && r.rebuttals.length > 0,
      key: r.key,
    }));
  return {
    workers: of('Worker').map((n) => ({ id: n.id, nationality: String(n.props.nationality) })),
    agencies: of('LaborAgency').map((n) => ({ id: n.id, country: String(n.props.country ?? ''), dprkLinked: n.props.dprk_linked === true })),
    factories: of('Factory').map((n) => ({ id: n.id, country: String(n.props.country) })),
    companies: of('Company').map((n) => ({ id: n.id })),
    items: [...of('Product'), ...of('Component')].map((n) => ({ id: n.id, product: n.kind === 'Product' })),
    rows,
  };
}

/** The brute-force paths of one item: direct and possible, and how many of the direct ones are not rebutted. */
export function expectedTrace(d: GenDataset, itemId: string, asOf: string | null = null): {
  direct: BrutePath[]; possible: BrutePath[]; open: number; exposure: 'DIRECT' | 'POSSIBLE' | 'NONE';
} {
  const all = bruteForce(d, asOf);
  const direct = all.direct.filter((p) => p.nodes[p.nodes.length - 1] === itemId);
  const possible = all.possible.filter((p) => p.nodes[p.nodes.length - 1] === itemId);
  return {
    direct, possible, open: direct.filter((p) => !p.rebutted).length,
    exposure: direct.length > 0 ? 'DIRECT' : possible.length > 0 ? 'POSSIBLE' : 'NONE',
  };
}

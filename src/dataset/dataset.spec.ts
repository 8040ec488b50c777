import type { NodeKind, RelType } from '../model/graph-model';

/**
 * The CSV dataset format of DATA-FORMAT.md as data: which files exist, their columns, and what each column holds.
 * Import, validation and export all read this one table.
 */
export type ColumnType =
  | 'id' // the row's own node id
  | 'text'
  | 'ref' // an id defined in a node file of one of `refKinds`
  | 'date'
  | 'boolean'
  | 'country'
  | 'number'
  | 'latitude'
  | 'longitude'
  | 'probability'
  | 'positiveInteger'
  | 'idList'; // `;`-separated evidence ids

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required?: boolean;
  refKinds?: readonly NodeKind[];
}

interface FileSpecBase {
  file: string;
  columns: readonly ColumnSpec[];
}
export interface NodeFileSpec extends FileSpecBase {
  role: 'node';
  kind: NodeKind;
}
export interface RelFileSpec extends FileSpecBase {
  role: 'relationship';
  type: RelType;
  sourceColumn: string;
  targetColumn: string;
  timed: boolean;
}
export type FileSpec = NodeFileSpec | RelFileSpec;

const ITEM_KINDS: readonly NodeKind[] = ['Product', 'Component'];
const evidence: ColumnSpec = { name: 'evidence', type: 'idList', refKinds: ['Evidence'] };
/** labortrace's extension: evidence ids that rebut a labor row (README, "Rebuttal"). */
const rebuttal: ColumnSpec = { name: 'rebuttal', type: 'idList', refKinds: ['Evidence'] };
const from: ColumnSpec = { name: 'from', type: 'date' };
const to: ColumnSpec = { name: 'to', type: 'date' };
const id: ColumnSpec = { name: 'id', type: 'id', required: true };
const name: ColumnSpec = { name: 'name', type: 'text', required: true };
const ref = (column: string, ...kinds: NodeKind[]): ColumnSpec => ({ name: column, type: 'ref', required: true, refKinds: kinds });

export const NODE_FILES: readonly NodeFileSpec[] = [
  {
    file: 'products.csv', role: 'node', kind: 'Product',
    columns: [id, name, { name: 'sku', type: 'text' }, { name: 'hs_code', type: 'text' }, { name: 'brand', type: 'text' }, evidence],
  },
  {
    file: 'components.csv', role: 'node', kind: 'Component',
    columns: [id, name, { name: 'material', type: 'text' }, { name: 'hs_code', type: 'text' }, evidence],
  },
  {
    file: 'factories.csv', role: 'node', kind: 'Factory',
    columns: [
      id, name, { name: 'country', type: 'country', required: true },
      { name: 'operator_id', type: 'ref', refKinds: ['Company'] },
      { name: 'address', type: 'text' }, { name: 'lat', type: 'latitude' }, { name: 'lon', type: 'longitude' },
      { name: 'os_id', type: 'text' }, evidence,
    ],
  },
  {
    file: 'companies.csv', role: 'node', kind: 'Company',
    columns: [id, name, { name: 'country', type: 'country' }, evidence],
  },
  {
    file: 'agencies.csv', role: 'node', kind: 'LaborAgency',
    columns: [
      id, name, { name: 'country', type: 'country' }, { name: 'dprk_linked', type: 'boolean' },
      { name: 'sanctioned', type: 'boolean' }, evidence,
    ],
  },
  {
    file: 'workers.csv', role: 'node', kind: 'Worker',
    columns: [
      id, { name: 'nationality', type: 'country', required: true }, { name: 'name', type: 'text' },
      { name: 'headcount', type: 'positiveInteger' }, evidence,
    ],
  },
  {
    file: 'evidence.csv', role: 'node', kind: 'Evidence',
    columns: [
      id, { name: 'title', type: 'text', required: true }, { name: 'kind', type: 'text' }, { name: 'url', type: 'text' },
      { name: 'published', type: 'date' }, { name: 'confidence', type: 'probability' }, evidence,
    ],
  },
];

export const RELATIONSHIP_FILES: readonly RelFileSpec[] = [
  {
    file: 'bom.csv', role: 'relationship', type: 'COMPONENT_OF', sourceColumn: 'child_id', targetColumn: 'parent_id', timed: false,
    columns: [ref('parent_id', ...ITEM_KINDS), ref('child_id', ...ITEM_KINDS), { name: 'quantity', type: 'number' }, evidence],
  },
  {
    file: 'production.csv', role: 'relationship', type: 'PRODUCED', sourceColumn: 'factory_id', targetColumn: 'item_id', timed: true,
    columns: [ref('item_id', ...ITEM_KINDS), ref('factory_id', 'Factory'), from, to, evidence],
  },
  {
    file: 'subcontracts.csv', role: 'relationship', type: 'SUBCONTRACTOR_OF', sourceColumn: 'subcontractor_id', targetColumn: 'factory_id', timed: true,
    columns: [ref('factory_id', 'Factory'), ref('subcontractor_id', 'Factory'), from, to, evidence],
  },
  {
    file: 'employment.csv', role: 'relationship', type: 'EMPLOYED_AT', sourceColumn: 'worker_id', targetColumn: 'factory_id', timed: true,
    columns: [ref('worker_id', 'Worker'), ref('factory_id', 'Factory'), from, to, evidence, rebuttal],
  },
  {
    file: 'recruitment.csv', role: 'relationship', type: 'RECRUITED_BY', sourceColumn: 'worker_id', targetColumn: 'agency_id', timed: false,
    columns: [ref('worker_id', 'Worker'), ref('agency_id', 'LaborAgency'), evidence, rebuttal],
  },
  {
    file: 'labor_supply.csv', role: 'relationship', type: 'SUPPLIES_LABOR_TO', sourceColumn: 'agency_id', targetColumn: 'factory_id', timed: true,
    columns: [ref('agency_id', 'LaborAgency'), ref('factory_id', 'Factory'), from, to, evidence, rebuttal],
  },
  {
    file: 'supply.csv', role: 'relationship', type: 'SUPPLIES', sourceColumn: 'supplier_id', targetColumn: 'customer_id', timed: false,
    columns: [ref('supplier_id', 'Company'), ref('customer_id', 'Company'), evidence],
  },
  {
    file: 'sourcing.csv', role: 'relationship', type: 'SOURCED_FROM', sourceColumn: 'company_id', targetColumn: 'item_id', timed: false,
    columns: [ref('item_id', ...ITEM_KINDS), ref('company_id', 'Company'), evidence],
  },
];

export const FILE_SPECS: readonly FileSpec[] = [...NODE_FILES, ...RELATIONSHIP_FILES];
export const FILE_SPEC_BY_NAME: ReadonlyMap<string, FileSpec> = new Map(FILE_SPECS.map((s) => [s.file, s]));

/** Columns starting with this prefix are free-form and kept as extra string properties. */
export const EXTRA_COLUMN_PREFIX = 'x_';

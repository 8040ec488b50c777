import type { NodeKind, RelType } from '../model/graph-model';

/**
 * The CSV dataset format of DATA-FORMAT.md as data: which files exist, their columns, and what each column holds.
 * Import, validation and export all read this one table.
 */
export type ColumnType =
  | 'id' // the row's own node id
  | 'text'
  | 'ref' // an id defined in a node file of one of `refKinds`
  | 'date' // YYYY-MM-DD, YYYY-MM or YYYY; `bound` says which day a partial date stands for
  | 'boolean'
  | 'country'
  | 'number'
  | 'latitude'
  | 'longitude'
  | 'probability'
  | 'positiveInteger'
  | 'idList' // `;`-separated evidence ids
  | 'relationshipId'; // a relationship file's optional `id`: the relationship's identity (README, "Relationship ids")

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required?: boolean;
  refKinds?: readonly NodeKind[];
  /** Dates: a partial date means its first day ('start', e.g. `from`) or its last day ('end', e.g. `to`). */
  bound?: 'start' | 'end';
}

/**
 * A node file column that names another node and stands for a relationship rather than a property
 * (factories.operator_id -> OPERATES): `out` when the row's node is the relationship's source.
 */
export interface LinkColumn {
  column: string;
  type: RelType;
  direction: 'out' | 'in';
}

/** Two date columns of one row that must not be in the wrong order (compared as the resolved days). */
export interface DateOrder {
  start: string;
  end: string;
}

interface FileSpecBase {
  file: string;
  columns: readonly ColumnSpec[];
}
export interface NodeFileSpec extends FileSpecBase {
  role: 'node';
  kind: NodeKind;
  links?: readonly LinkColumn[];
  dateOrder?: readonly DateOrder[];
}
export interface RelFileSpec extends FileSpecBase {
  role: 'relationship';
  type: RelType;
  sourceColumn: string;
  targetColumn: string;
  timed: boolean;
  /** recruitment.csv factory_id: a reference that is neither end, stored as the `placement` property. */
  placementColumn?: string;
}
export type FileSpec = NodeFileSpec | RelFileSpec;

const ITEM_KINDS: readonly NodeKind[] = ['Product', 'Component'];
const evidence: ColumnSpec = { name: 'evidence', type: 'idList', refKinds: ['Evidence'] };
/** labortrace's extension: evidence ids that rebut a labor row (README, "Rebuttal"). */
const rebuttal: ColumnSpec = { name: 'rebuttal', type: 'idList', refKinds: ['Evidence'] };
const from: ColumnSpec = { name: 'from', type: 'date', bound: 'start' };
const to: ColumnSpec = { name: 'to', type: 'date', bound: 'end' };
const id: ColumnSpec = { name: 'id', type: 'id', required: true };
/** labortrace's extension: every relationship file may name its rows (README, "Relationship ids"). */
const relId: ColumnSpec = { name: 'id', type: 'relationshipId' };
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
    links: [{ column: 'operator_id', type: 'OPERATES', direction: 'in' }],
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
      { name: 'published', type: 'date', bound: 'start' }, { name: 'confidence', type: 'probability' }, evidence,
    ],
  },
  {
    file: 'shipments.csv', role: 'node', kind: 'Shipment',
    columns: [
      id, { name: 'item_id', type: 'ref', required: true, refKinds: ITEM_KINDS },
      { name: 'importer_id', type: 'ref', refKinds: ['Company'] },
      { name: 'entry_number', type: 'text' }, { name: 'entry_date', type: 'date', bound: 'start' },
      { name: 'produced_from', type: 'date', bound: 'start' }, { name: 'produced_to', type: 'date', bound: 'end' },
      { name: 'quantity', type: 'number' }, { name: 'declared_origin', type: 'country' }, evidence,
    ],
    links: [
      { column: 'item_id', type: 'SHIPMENT_OF', direction: 'out' },
      { column: 'importer_id', type: 'IMPORTED_BY', direction: 'out' },
    ],
    dateOrder: [{ start: 'produced_from', end: 'produced_to' }],
  },
];

export const RELATIONSHIP_FILES: readonly RelFileSpec[] = [
  {
    file: 'bom.csv', role: 'relationship', type: 'COMPONENT_OF', sourceColumn: 'child_id', targetColumn: 'parent_id', timed: false,
    columns: [relId, ref('parent_id', ...ITEM_KINDS), ref('child_id', ...ITEM_KINDS), { name: 'quantity', type: 'number' }, evidence],
  },
  {
    file: 'production.csv', role: 'relationship', type: 'PRODUCED', sourceColumn: 'factory_id', targetColumn: 'item_id', timed: true,
    columns: [relId, ref('item_id', ...ITEM_KINDS), ref('factory_id', 'Factory'), from, to, evidence],
  },
  {
    file: 'subcontracts.csv', role: 'relationship', type: 'SUBCONTRACTOR_OF', sourceColumn: 'subcontractor_id', targetColumn: 'factory_id', timed: true,
    columns: [relId, ref('factory_id', 'Factory'), ref('subcontractor_id', 'Factory'), from, to, evidence],
  },
  {
    file: 'employment.csv', role: 'relationship', type: 'EMPLOYED_AT', sourceColumn: 'worker_id', targetColumn: 'factory_id', timed: true,
    columns: [relId, ref('worker_id', 'Worker'), ref('factory_id', 'Factory'), from, to, evidence, rebuttal],
  },
  {
    file: 'recruitment.csv', role: 'relationship', type: 'RECRUITED_BY', sourceColumn: 'worker_id', targetColumn: 'agency_id', timed: true,
    placementColumn: 'factory_id',
    columns: [
      relId, ref('worker_id', 'Worker'), ref('agency_id', 'LaborAgency'), { name: 'factory_id', type: 'ref', refKinds: ['Factory'] },
      from, to, evidence, rebuttal,
    ],
  },
  {
    file: 'dispatch.csv', role: 'relationship', type: 'DISPATCHES_TO', sourceColumn: 'agency_id', targetColumn: 'to_agency_id', timed: true,
    columns: [relId, ref('agency_id', 'LaborAgency'), ref('to_agency_id', 'LaborAgency'), from, to, evidence, rebuttal],
  },
  {
    file: 'labor_supply.csv', role: 'relationship', type: 'SUPPLIES_LABOR_TO', sourceColumn: 'agency_id', targetColumn: 'factory_id', timed: true,
    columns: [relId, ref('agency_id', 'LaborAgency'), ref('factory_id', 'Factory'), from, to, evidence, rebuttal],
  },
  {
    file: 'supply.csv', role: 'relationship', type: 'SUPPLIES', sourceColumn: 'supplier_id', targetColumn: 'customer_id', timed: true,
    columns: [relId, ref('supplier_id', 'Company'), ref('customer_id', 'Company'), from, to, evidence],
  },
  {
    file: 'sourcing.csv', role: 'relationship', type: 'SOURCED_FROM', sourceColumn: 'company_id', targetColumn: 'item_id', timed: true,
    columns: [relId, ref('item_id', ...ITEM_KINDS), ref('company_id', 'Company'), from, to, evidence],
  },
];

export const FILE_SPECS: readonly FileSpec[] = [...NODE_FILES, ...RELATIONSHIP_FILES];
export const FILE_SPEC_BY_NAME: ReadonlyMap<string, FileSpec> = new Map(FILE_SPECS.map((s) => [s.file, s]));

/**
 * A partial date (`2023-05`, `2023`) is stored as the day it resolves to under the column's name (a Neo4j date)
 * and, as given, under the column's name plus this suffix (`from_text`), so that export writes back what was read.
 */
export const DATE_TEXT_SUFFIX = '_text';
export const dateTextProperty = (column: string): string => `${column}${DATE_TEXT_SUFFIX}`;

/** Columns starting with this prefix are free-form and kept as extra string properties. */
export const EXTRA_COLUMN_PREFIX = 'x_';

/**
 * Size limits, checked before anything is written (docs/data-format.md, "Size limits"), in characters (Unicode code
 * points). Ids are kept in a range index (Neo4j refuses keys over about 8 kB) and names in a text index (about
 * 32 kB): at 4 bytes a character at most, these limits keep every value indexable.
 */
export const MAX_ID_CHARS = 1_000;
/** `name` (text-indexed). */
export const MAX_NAME_CHARS = 4_000;
/** Any other cell, `x_` columns included. */
export const MAX_CELL_CHARS = 65_536;
/** The CSV reader refuses a field longer than this (characters) at once, before it is held in memory whole. */
export const MAX_FIELD_CHARS = 1_048_576;

/** Column types whose cells are numbers: written as plain numbers, never neutralized as spreadsheet formulas. */
export const NUMERIC_COLUMN_TYPES: ReadonlySet<ColumnType> = new Set<ColumnType>(['number', 'latitude', 'longitude', 'probability', 'positiveInteger']);

/** The largest cell a column accepts (x_ columns: pass undefined). */
export function maxCellChars(c: ColumnSpec | undefined): number {
  if (c === undefined) return MAX_CELL_CHARS;
  if (c.type === 'id' || c.type === 'ref') return MAX_ID_CHARS;
  if (c.name === 'name') return MAX_NAME_CHARS;
  return MAX_CELL_CHARS;
}

import { FILE_SPECS, type FileSpec } from '../dataset/dataset.spec';
import type { Dataset, DatasetError, SourcePosition } from '../dataset/dataset.types';
import { DatasetValidator } from '../dataset/dataset.validator';
import type { NodeKind } from '../model/graph-model';
import { EXPECTED_VERSION_COLUMN, positionKey } from './change.types';

/**
 * applyChanges rows are validated by the very same validator as a CSV import (one code path): each input list is
 * turned into the cells of its dataset file, a header of the fields the rows use, and one "line" per row (the row's
 * index). Errors come back as input paths: `employment[2].factoryId`.
 */

/** `labor_supply.csv` -> `laborSupply`: the input list of a dataset file (CHANGES.md). */
export function inputListName(file: string): string {
  return camel(file.replace(/\.csv$/, ''));
}

/** `worker_id` -> `workerId`. */
export function camel(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export const INPUT_LISTS: readonly { name: string; spec: FileSpec }[] = FILE_SPECS.map((spec) => ({ name: inputListName(spec.file), spec }));

/** An input row: the file's columns in camelCase, `extra` for x_ columns, `expectedVersion`. */
export type InputRow = Record<string, unknown> & { extra?: { key: string; value: string }[] | null; expectedVersion?: number | null };

export interface ChangeSetInputRows {
  lists: Record<string, InputRow[] | null | undefined>;
  retire?: readonly string[] | null;
}

/** Where an input row came from: the list and its index; `columns` maps a header column number to the input field. */
interface InputFile {
  list: string;
  columns: string[];
}

export interface ParsedChangeInput {
  validator: DatasetValidator;
  retire: { id: string; at: SourcePosition }[];
  expected: Map<string, number>;
  files: Map<string, InputFile>;
}

/** Line 1 is the synthesized header (a bad `extra` key is reported there); row i is line i + 2. */
const FIRST_ROW_LINE = 2;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(';');
  return String(value);
}

/**
 * Feeds the input rows to a validator, file by file in dataset order. Returns the validator (to be finished once
 * the stored kinds of outside references are known), the retirements and the expected versions by row position.
 */
export function parseChangeInput(input: ChangeSetInputRows): ParsedChangeInput {
  const validator = new DatasetValidator();
  const expected = new Map<string, number>();
  const files = new Map<string, InputFile>();
  for (const { name, spec } of INPUT_LISTS) {
    const rows = input.lists[name];
    if (!rows || rows.length === 0) continue;
    // required columns always: a row without one is then refused at its own path (employment[2].workerId)
    const fields = spec.columns.filter((c) => c.required || rows.some((r) => r[camel(c.name)] !== undefined && r[camel(c.name)] !== null)).map((c) => c.name);
    const extras = [...new Set(rows.flatMap((r) => (r.extra ?? []).map((e) => e.key)))].sort();
    const header = [...fields, ...extras];
    files.set(spec.file, { list: name, columns: [...fields.map(camel), ...extras.map(() => 'extra')] });
    if (!validator.startFile(spec.file, header)) continue;
    rows.forEach((row, index) => {
      const extraValues = new Map((row.extra ?? []).map((e) => [e.key, e.value]));
      validator.addRow(spec.file, index + FIRST_ROW_LINE, [...fields.map((c) => cell(row[camel(c)])), ...extras.map((k) => extraValues.get(k) ?? '')]);
      if (row.expectedVersion !== null && row.expectedVersion !== undefined) {
        expected.set(positionKey({ file: spec.file, line: index + FIRST_ROW_LINE }), row.expectedVersion);
      }
    });
  }
  const retire = (input.retire ?? []).map((id, i) => ({ id, at: { file: 'retire', line: i } }));
  return { validator, retire, expected, files };
}

/** The input path an error names: `employment[2].factoryId`, `retire[0]`, or the list itself. */
export function fieldPath(files: ReadonlyMap<string, InputFile>, e: SourcePosition): string {
  if (e.file === 'retire') return `input.retire[${e.line}]`;
  const f = files.get(e.file);
  if (!f) return 'input';
  const column = e.column === EXPECTED_VERSION_COLUMN ? 'expectedVersion' : e.column !== undefined ? f.columns[e.column - 1] : undefined;
  if (e.line < FIRST_ROW_LINE) return `input.${f.list}${column === 'extra' ? '[].extra' : ''}`;
  return `input.${f.list}[${e.line - FIRST_ROW_LINE}]${column ? `.${column}` : ''}`;
}

/** Finishes validation with the kinds of the stored nodes the rows reference. */
export function finishChangeInput(parsed: ParsedChangeInput, stored: ReadonlyMap<string, NodeKind>): { ok: true; dataset: Dataset } | { ok: false; errors: DatasetError[] } {
  const result = parsed.validator.finish(stored);
  return result.ok ? result : { ok: false, errors: result.errors };
}

import {
  LABOR_REL_TYPES, RELATIONSHIP_ID_PATTERN, relationshipId, relationshipKey, type NodeKind, type RelType,
} from '../model/graph-model';
import {
  EXTRA_COLUMN_PREFIX, FILE_SPEC_BY_NAME, FILE_SPECS, MAX_ID_CHARS, NUMERIC_COLUMN_TYPES, dateTextProperty, maxCellChars,
  type ColumnSpec, type FileSpec, type NodeFileSpec, type RelFileSpec,
} from './dataset.spec';
import type { Dataset, DatasetError, NodeRecord, PropValue, RelRecord, SourcePosition } from './dataset.types';
import {
  parseBoolean, parseCountry, parseDatasetDate, parseIdList, parseNumber, parsePositiveInteger, restoreFormula, shown,
  ValueError, type DatasetDate,
} from './values';
import { findCycle } from './cycle';

export const DEFAULT_ERROR_CAP = 100;

interface OpenFile {
  spec: FileSpec;
  columns: Map<string, ColumnSpec>;
  header: string[];
  /** header index of each known column */
  index: Map<string, number>;
  extras: { name: string; index: number }[];
  /** per header index: the column (undefined for x_ extras and unusable columns) */
  byIndex: (ColumnSpec | undefined)[];
}

interface PendingRef {
  id: string;
  kinds: readonly NodeKind[];
  at: SourcePosition;
  column: string;
}

export type ValidationResult = { ok: true; dataset: Dataset } | { ok: false; errors: DatasetError[]; errorCount: number };

/**
 * Validates a dataset row by row as it streams in, then checks what spans files (ids, references, BOM cycles).
 * Pure: it never touches the file system or the database. Nothing is returned to write unless every row is valid.
 */
export class DatasetValidator {
  private readonly errors: DatasetError[] = [];
  private errorCount = 0;
  private readonly open = new Map<string, OpenFile>();
  private readonly nodes = new Map<string, NodeRecord>();
  /** Relationships by their id (given in the row, or derived from the natural key). */
  private readonly relationships = new Map<string, RelRecord>();
  /** The same relationships by natural key (type, ends, placement, interval). */
  private readonly relationshipsByKey = new Map<string, RelRecord>();
  /** Relationships whose id a row gave (the others have relationshipId(key)). */
  private readonly givenIds = new Set<RelRecord>();
  private readonly refs: PendingRef[] = [];
  /** Files whose rows were not all read (malformed CSV, unreadable): checks across files would only add noise. */
  private readonly incomplete = new Set<string>();
  /** Ids of node rows refused for a bad value: references to them are not reported again as undefined. */
  private readonly invalidIds = new Set<string>();

  constructor(private readonly errorCap = DEFAULT_ERROR_CAP) {}

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  error(at: SourcePosition, message: string): void {
    this.errorCount++;
    if (this.errors.length < this.errorCap) this.errors.push({ ...at, message });
  }

  /**
   * A file that could not be read to its end (malformed CSV, unreadable, not UTF-8): the error is reported, and the
   * checks that span files (references, cycles) are skipped, since the rows never read would make them report
   * knock-on errors that are not the dataset's.
   */
  abortFile(at: SourcePosition, message: string): void {
    this.incomplete.add(at.file);
    this.error(at, message);
  }

  /** Registers a file's header; returns false when the file cannot be read further (its rows are then skipped). */
  startFile(file: string, header: string[]): boolean {
    const spec = FILE_SPEC_BY_NAME.get(file);
    if (!spec) {
      this.abortFile({ file, line: 1, column: 1 }, `unknown file; a dataset has ${FILE_SPECS.map((s) => s.file).join(', ')}`);
      return false;
    }
    let usable = true;
    header.forEach((raw, i) => {
      const problem = cellProblem(raw, MAX_ID_CHARS);
      if (problem) {
        this.error({ file, line: 1, column: i + 1 }, `column name ${problem}`);
        usable = false;
      }
    });
    if (!usable) {
      this.incomplete.add(file);
      return false;
    }
    const known = new Map(spec.columns.map((c) => [c.name, c]));
    const index = new Map<string, number>();
    const extras: OpenFile['extras'] = [];
    const byIndex: OpenFile['byIndex'] = [];
    header.forEach((raw, i) => {
      const name = raw.trim();
      const at = { file, line: 1, column: i + 1 };
      if (name === '') {
        this.error(at, 'empty column name');
      } else if (index.has(name) || extras.some((e) => e.name === name)) {
        this.error(at, `column '${name}' appears twice`);
        usable = false;
      } else if (known.has(name)) {
        index.set(name, i);
        byIndex[i] = known.get(name);
      } else if (name.startsWith(EXTRA_COLUMN_PREFIX)) {
        extras.push({ name, index: i });
      } else {
        this.error(at, `unknown column ${shown(name)}; ${file} has ${spec.columns.map((c) => c.name).join(', ')} (and x_* extras)`);
      }
    });
    for (const c of spec.columns) {
      if (c.required && !index.has(c.name)) {
        this.error({ file, line: 1, column: 1 }, `missing required column '${c.name}'`);
        usable = false;
      }
    }
    if (usable) this.open.set(file, { spec, columns: known, header, index, extras, byIndex });
    else this.incomplete.add(file); // its rows are not read: references to its ids would be knock-on errors
    return usable;
  }

  addRow(file: string, line: number, values: string[]): void {
    const f = this.open.get(file);
    if (!f) return;
    if (values.length !== f.header.length) {
      this.error({ file, line, column: Math.min(values.length, f.header.length) + 1 },
        `expected ${f.header.length} fields as in the header, found ${values.length}`);
      this.refuseRowId(f, values);
      return;
    }
    // Each cell: no NUL, within its size limit, and (text columns) a neutralized spreadsheet formula restored.
    let bad = false;
    const cells = values.map((raw, i) => {
      const column = f.byIndex[i];
      const problem = cellProblem(raw, maxCellChars(column));
      if (problem) {
        bad = true;
        this.error({ file, line, column: i + 1 }, `${column?.name ?? f.header[i].trim()}: ${problem}`);
      }
      return column && NUMERIC_COLUMN_TYPES.has(column.type) ? raw : restoreFormula(raw);
    });
    if (bad) {
      this.refuseRowId(f, cells);
      return;
    }
    const row = new RowReader(this, f, line, cells);
    if (f.spec.role === 'node') this.addNode(f.spec, row);
    else this.addRelationship(f.spec, f.columns, row);
  }

  /** A node row refused before it was read: its id, when it has one, is known to be meant (no knock-on errors). */
  private refuseRowId(f: OpenFile, values: string[]): void {
    const i = f.index.get('id');
    if (f.spec.role !== 'node' || i === undefined || i >= values.length) return;
    const id = restoreFormula(values[i]).trim();
    if (id !== '') this.invalidIds.add(id);
  }

  private addNode(spec: NodeFileSpec, row: RowReader): void {
    const id = row.id('id');
    const props: Record<string, PropValue> = {};
    const links: { type: RelType; other: string; out: boolean; column: string }[] = [];
    const dates = new Map<string, DatasetDate>();
    for (const c of spec.columns) {
      if (c.name === 'id' || c.name === 'evidence') continue;
      const link = spec.links?.find((l) => l.column === c.name);
      if (link) {
        const other = row.ref(c);
        if (other !== undefined) links.push({ type: link.type, other, out: link.direction === 'out', column: c.name });
        continue;
      }
      if (c.type === 'date') {
        const d = row.date(c);
        if (d === undefined) continue;
        dates.set(c.name, d);
        props[c.name] = c.bound === 'end' ? d.last : d.first;
        if (d.partial) props[dateTextProperty(c.name)] = d.text;
        continue;
      }
      const v = row.value(c);
      if (v !== undefined) props[c.name] = v;
    }
    for (const { start, end } of spec.dateOrder ?? []) {
      const a = dates.get(start);
      const b = dates.get(end);
      if (a && b && a.first > b.last) row.fail(end, outOfOrder(start, a, end, b));
    }
    Object.assign(props, row.extras());
    const evidence = row.idList('evidence');
    if (row.failed || id === undefined) {
      if (id !== undefined) this.invalidIds.add(id);
      return;
    }
    const at = row.position('id');
    const previous = this.nodes.get(id);
    if (previous) {
      this.error(at, `duplicate id ${shown(id)} (already defined at ${previous.at.file}:${previous.at.line})`);
      return;
    }
    this.nodes.set(id, { kind: spec.kind, id, props, evidence, at });
    for (const l of links) {
      const [source, target] = l.out ? [id, l.other] : [l.other, id];
      const key = relationshipKey(l.type, source, target);
      this.putRelationship({
        type: l.type, id: relationshipId(key), key, source, target, from: null, to: null, placement: null,
        props: {}, evidence: [], rebuttals: [], at: row.position(l.column),
      }, false);
    }
  }

  private addRelationship(spec: RelFileSpec, byName: Map<string, ColumnSpec>, row: RowReader): void {
    const givenId = row.relationshipId(byName.get('id')!);
    const source = row.ref(byName.get(spec.sourceColumn)!);
    const target = row.ref(byName.get(spec.targetColumn)!);
    const placement = spec.placementColumn ? row.ref(byName.get(spec.placementColumn)!) ?? null : null;
    const props: Record<string, PropValue> = {};
    let from: string | null = null;
    let to: string | null = null;
    if (spec.timed) {
      const f = row.date(byName.get('from')!);
      const t = row.date(byName.get('to')!);
      if (f) {
        from = f.first;
        if (f.partial) props[dateTextProperty('from')] = f.text;
      }
      if (t) {
        to = t.last;
        if (t.partial) props[dateTextProperty('to')] = t.text;
      }
      if (f && t && f.first > t.last) row.fail('to', outOfOrder('from', f, 'to', t));
    }
    for (const c of spec.columns) {
      if (c.type === 'ref' || c.type === 'idList' || c.type === 'relationshipId' || c.name === 'from' || c.name === 'to') continue;
      const v = row.value(c);
      if (v !== undefined) props[c.name] = v;
    }
    Object.assign(props, row.extras());
    const evidence = row.idList('evidence');
    const rebuttals = LABOR_REL_TYPES.has(spec.type) ? row.idList('rebuttal') : [];
    if (row.failed || source === undefined || target === undefined) return;
    const key = relationshipKey(spec.type, source, target, from, to, placement);
    this.putRelationship({
      type: spec.type, id: givenId ?? relationshipId(key), key, source, target, from, to, placement,
      props, evidence, rebuttals, at: row.position(givenId !== undefined ? 'id' : spec.sourceColumn),
    }, givenId !== undefined);
  }

  /**
   * Relationship identity. Rows without an id: the same natural key (type, ends, placement, interval) is one
   * relationship with both rows' evidence. A row with an id: that id is the relationship; another row may repeat
   * it only with the same values, and no other relationship of the dataset may have it (or its natural key).
   */
  private putRelationship(rel: RelRecord, given: boolean): void {
    const sameKey = this.relationshipsByKey.get(rel.key);
    const sameId = this.relationships.get(rel.id);
    if (sameKey && (!given || sameKey.id === rel.id || !this.givenIds.has(sameKey))) {
      if (JSON.stringify(sameKey.props) !== JSON.stringify(rel.props)) {
        this.error(rel.at, `repeats the relationship at ${sameKey.at.file}:${sameKey.at.line} with different values`);
        return;
      }
      if (given && sameKey.id !== rel.id) {
        // the row names a relationship that rows without an id gave already: it takes this id
        if (sameId) {
          this.error(rel.at, `relationship id '${rel.id}' is already the id of the relationship at ${sameId.at.file}:${sameId.at.line}`);
          return;
        }
        this.relationships.delete(sameKey.id);
        sameKey.id = rel.id;
        sameKey.at = rel.at;
        this.relationships.set(rel.id, sameKey);
        this.givenIds.add(sameKey);
      }
      sameKey.evidence = [...new Set([...sameKey.evidence, ...rel.evidence])];
      sameKey.rebuttals = [...new Set([...sameKey.rebuttals, ...rel.rebuttals])];
      return;
    }
    if (sameKey) {
      this.error(rel.at, `repeats the relationship '${sameKey.id}' at ${sameKey.at.file}:${sameKey.at.line} (same type, ends and interval) under another id`);
      return;
    }
    if (sameId) {
      const what = given ? `relationship id '${rel.id}'` : `the relationship's derived id '${rel.id}'`;
      this.error(rel.at, `${what} is already the id of another relationship at ${sameId.at.file}:${sameId.at.line}`);
      return;
    }
    this.relationships.set(rel.id, rel);
    this.relationshipsByKey.set(rel.key, rel);
    if (given) this.givenIds.add(rel);
  }

  addRef(ref: PendingRef): void {
    this.refs.push(ref);
  }

  /** Referenced ids that no node row of the dataset defines (a change set may reference stored nodes). */
  referencedOutside(): string[] {
    return [...new Set(this.refs.filter((r) => !this.nodes.has(r.id) && !this.invalidIds.has(r.id)).map((r) => r.id))];
  }

  /**
   * The checks that span files, then the result. `stored`: the kinds of stored nodes a change set's rows may reference
   * (applyChanges); a CSV import references only its own rows (DATA-FORMAT.md) and passes none.
   */
  finish(stored?: ReadonlyMap<string, NodeKind>): ValidationResult {
    if (this.incomplete.size > 0) {
      const errors = [...this.errors].sort(comparePositions);
      return { ok: false, errors, errorCount: this.errorCount };
    }
    for (const ref of this.refs) {
      const node = this.nodes.get(ref.id);
      const storedKind = node ? undefined : stored?.get(ref.id);
      if (!node && storedKind) {
        if (!ref.kinds.includes(storedKind)) this.error(ref.at, `${ref.column} ${shown(ref.id)} is a ${storedKind} in the graph, expected ${ref.kinds.join(' or ')}`);
      } else if (!node) {
        if (this.invalidIds.has(ref.id)) continue; // its row is reported already
        this.error(ref.at, `${ref.column} ${shown(ref.id)} is not defined in ${stored ? 'the change set or the graph' : 'any node file'}`);
      } else if (!ref.kinds.includes(node.kind)) {
        this.error(ref.at, `${ref.column} ${shown(ref.id)} is a ${node.kind} (${node.at.file}:${node.at.line}), expected ${ref.kinds.join(' or ')}`);
      }
    }
    const bom = [...this.relationships.values()].filter((r) => r.type === 'COMPONENT_OF');
    const cycle = findCycle(bom.map((r) => [r.target, r.source] as const)); // parent -> child
    if (cycle) {
      const closing = bom.find((r) => r.target === cycle[cycle.length - 2] && r.source === cycle[cycle.length - 1])!;
      this.error(closing.at, `bill of materials has a cycle: ${cycle.join(' -> ')}`);
    }
    if (this.errorCount > 0) {
      const errors = [...this.errors].sort(comparePositions);
      return { ok: false, errors, errorCount: this.errorCount };
    }
    return { ok: true, dataset: { nodes: [...this.nodes.values()], relationships: [...this.relationships.values()] } };
  }
}

function outOfOrder(startColumn: string, start: DatasetDate, endColumn: string, end: DatasetDate): string {
  const show = (d: DatasetDate, day: string) => (d.partial ? `${d.text} (${day})` : d.text);
  return `'${startColumn}' ${show(start, start.first)} is after '${endColumn}' ${show(end, end.last)}`;
}

const FILE_ORDER = new Map(FILE_SPECS.map((s, i) => [s.file, i]));
function comparePositions(a: SourcePosition, b: SourcePosition): number {
  return (FILE_ORDER.get(a.file) ?? -1) - (FILE_ORDER.get(b.file) ?? -1) || a.file.localeCompare(b.file)
    || a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
}

/** Reads the cells of one row, reporting each bad value at its column. */
class RowReader {
  failed = false;

  constructor(
    private readonly v: DatasetValidator,
    private readonly f: OpenFile,
    private readonly line: number,
    private readonly values: string[],
  ) {}

  position(column: string): SourcePosition {
    const i = this.f.index.get(column);
    return { file: this.f.spec.file, line: this.line, column: i === undefined ? 1 : i + 1 };
  }

  fail(column: string, message: string): void {
    this.failed = true;
    this.v.error(this.position(column), message);
  }

  private raw(column: string): string | undefined {
    const i = this.f.index.get(column);
    return i === undefined ? undefined : this.values[i];
  }

  id(column: string): string | undefined {
    const id = (this.raw(column) ?? '').trim();
    if (id === '') {
      this.fail(column, `'${column}' is required`);
      return undefined;
    }
    return id;
  }

  ref(c: ColumnSpec): string | undefined {
    const id = (this.raw(c.name) ?? '').trim();
    if (id === '') {
      if (c.required) this.fail(c.name, `'${c.name}' is required`);
      return undefined;
    }
    this.v.addRef({ id, kinds: c.refKinds!, at: this.position(c.name), column: c.name });
    return id;
  }

  idList(column: string): string[] {
    const ids = parseIdList(this.raw(column) ?? '');
    const long = ids.find((id) => codePoints(id) > MAX_ID_CHARS);
    if (long !== undefined) {
      this.fail(column, `${column}: an id of ${codePoints(long)} characters; an id has at most ${MAX_ID_CHARS}`);
      return [];
    }
    for (const id of ids) this.v.addRef({ id, kinds: ['Evidence'], at: this.position(column), column });
    return ids;
  }

  /** An optional relationship id: letters, digits, '_' and '-', starting with a letter (RELATIONSHIP_ID_PATTERN). */
  relationshipId(c: ColumnSpec): string | undefined {
    const id = (this.raw(c.name) ?? '').trim();
    if (id === '') return undefined;
    if (!RELATIONSHIP_ID_PATTERN.test(id)) {
      this.fail(c.name, `${c.name}: ${shown(id)} is not a relationship id (a letter, then up to 127 letters, digits, '_' or '-')`);
      return undefined;
    }
    return id;
  }

  /** An optional (unless required) dataset date, full or partial; undefined when empty. */
  date(c: ColumnSpec): DatasetDate | undefined {
    const text = (this.raw(c.name) ?? '').trim();
    if (text === '') {
      if (c.required) this.fail(c.name, `'${c.name}' is required`);
      return undefined;
    }
    try {
      return parseDatasetDate(text);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      this.fail(c.name, `${c.name}: ${e.message}`);
      return undefined;
    }
  }

  /** A typed, optional-unless-required value; undefined when empty. */
  value(c: ColumnSpec): PropValue | undefined {
    const raw = this.raw(c.name);
    const text = raw === undefined ? '' : c.type === 'text' ? raw : raw.trim();
    if (c.type === 'boolean') return this.parse(c, () => parseBoolean(text));
    if (text === '' || (c.type === 'text' && text.trim() === '')) {
      if (c.required) this.fail(c.name, `'${c.name}' is required`);
      return undefined;
    }
    switch (c.type) {
      case 'text': return text;
      case 'country': return this.parse(c, () => parseCountry(text));
      case 'number': return this.parse(c, () => parseNumber(text));
      case 'latitude': return this.parse(c, () => parseNumber(text, -90, 90));
      case 'longitude': return this.parse(c, () => parseNumber(text, -180, 180));
      case 'probability': return this.parse(c, () => parseNumber(text, 0, 1));
      case 'positiveInteger': return this.parse(c, () => parsePositiveInteger(text));
      default: throw new Error(`column type ${c.type} is not a plain value`);
    }
  }

  private parse(c: ColumnSpec, parse: () => PropValue): PropValue | undefined {
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      this.fail(c.name, `${c.name}: ${e.message}`);
      return undefined;
    }
  }

  extras(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const x of this.f.extras) if (this.values[x.index] !== '') out[x.name] = this.values[x.index];
    return out;
  }
}

/** Why a cell cannot be read at all (a NUL character, too long), or undefined. */
function cellProblem(raw: string, max: number): string | undefined {
  if (raw.includes('\u0000')) return 'contains a NUL character (U+0000); a cell holds text, not binary data';
  if (raw.length > max) {
    const n = codePoints(raw);
    if (n > max) return `${n} characters; at most ${max} are allowed here (docs/data-format.md, "Size limits")`;
  }
  return undefined;
}

/** The length of s in Unicode code points (astral characters count once). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      n++;
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

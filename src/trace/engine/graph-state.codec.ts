import { RowColumns } from './hop-store';
import type { GraphState } from './taint-graph';
import type { RebuttalState, RowGiven } from './taint-row';

/**
 * A GraphState as bytes, and back: what the snapshot file holds (src/trace/snapshot-file.ts). Typed arrays are
 * written as they are (little-endian, as every platform Node runs on), everything else as JSON, so that reading a
 * 10^6-node graph is a few copies and JSON parses instead of millions of decoded records. Pure.
 *
 * Layout: the magic, the header's length (uint32), the header (JSON: the caller's `meta` and each section's kind,
 * offset and length), then the sections, each starting at a multiple of 8.
 */

const MAGIC = Buffer.from('LTSNAP01', 'latin1');

type Kind = 'json' | 'u8' | 'i32' | 'u32' | 'f64';
interface Section {
  name: string;
  kind: Kind;
  offset: number;
  bytes: number;
}
interface Header {
  meta: unknown;
  sections: Section[];
}

/** What does not fit JSON as it is: infinite interval ends (null), sets (arrays). */
const endOut = (x: number): number | null => (Number.isFinite(x) ? x : null);
const fromIn = (x: number | null): number => (x === null ? -Infinity : x);
const toIn = (x: number | null): number => (x === null ? Infinity : x);

interface RebuttalJson {
  rebutted: boolean;
  items: string[] | null;
  ids: string[];
}

export function encodeGraphState(s: GraphState, meta: unknown): Buffer[] {
  const r = s.rows;
  const n = r.length;
  const parts: [string, Kind, Buffer][] = [];
  const json = (name: string, value: unknown) => parts.push([name, 'json', Buffer.from(JSON.stringify(value), 'utf8')]);
  const typed = (name: string, kind: Kind, a: Uint8Array | Int32Array | Uint32Array | Float64Array, length: number) =>
    parts.push([name, kind, Buffer.from(a.buffer, a.byteOffset, length * a.BYTES_PER_ELEMENT)]);
  json('ids', s.ids);
  json('names', s.names);
  typed('kinds', 'u8', s.kinds, s.ids.length);
  typed('sources', 'u8', s.sources, s.ids.length);
  typed('type', 'u8', r.type, n);
  typed('source', 'i32', r.source, n);
  typed('target', 'i32', r.target, n);
  typed('interval', 'i32', r.interval, n);
  typed('placement', 'i32', r.placement, n);
  typed('evidence', 'i32', r.evidence, n);
  typed('idHigh', 'f64', r.idHigh, n);
  typed('idLow', 'u32', r.idLow, n);
  json('otherIds', [...r.otherIds]);
  json('given', [...r.given]);
  json('rebuttals', [...r.rebuttals].map(([row, b]): [number, RebuttalJson] => [row, { rebutted: b.rebutted, items: b.rebuttedFor && [...b.rebuttedFor], ids: b.rebuttalIds }]));
  json('intervals', s.intervals.map(([from, to]) => [endOut(from), endOut(to)]));
  json('evidenceLists', s.evidence);
  json('listedBy', s.listedBy);
  json('rowSource', s.rowSource);

  const sections: Section[] = [];
  let offset = 0;
  for (const [name, kind, bytes] of parts) {
    sections.push({ name, kind, offset, bytes: bytes.length });
    offset += pad8(bytes.length);
  }
  const header = Buffer.from(JSON.stringify({ meta, sections } satisfies Header), 'utf8');
  const head = Buffer.alloc(pad8(MAGIC.length + 4 + header.length));
  MAGIC.copy(head, 0);
  head.writeUInt32LE(header.length, MAGIC.length);
  header.copy(head, MAGIC.length + 4);
  const out: Buffer[] = [head];
  for (const [, , bytes] of parts) {
    out.push(bytes);
    if (pad8(bytes.length) > bytes.length) out.push(Buffer.alloc(pad8(bytes.length) - bytes.length));
  }
  return out;
}

/** Reads what encodeGraphState wrote; an Error naming what is wrong for anything else (a file cut short, another format). */
export function decodeGraphState(buf: Buffer): { state: GraphState; meta: unknown } {
  if (buf.length < MAGIC.length + 4 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a labortrace snapshot (format LTSNAP01)');
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const start = pad8(MAGIC.length + 4 + headerLength);
  if (start > buf.length) throw new Error('snapshot cut short in its header');
  const header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as Header;
  const byName = new Map(header.sections.map((x) => [x.name, x]));
  const bytes = (name: string): Buffer => {
    const x = byName.get(name);
    if (!x) throw new Error(`snapshot has no section ${name}`);
    if (start + x.offset + x.bytes > buf.length) throw new Error(`snapshot cut short in section ${name}`);
    return buf.subarray(start + x.offset, start + x.offset + x.bytes);
  };
  const json = <T>(name: string): T => JSON.parse(bytes(name).toString('utf8')) as T;
  // a copy into an array of its own: aligned, and not holding on to the whole file
  const copy = (name: string): ArrayBuffer => {
    const b = bytes(name);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
  };

  const rows = new RowColumns();
  rows.type = new Uint8Array(copy('type'));
  rows.length = rows.type.length;
  rows.source = new Int32Array(copy('source'));
  rows.target = new Int32Array(copy('target'));
  rows.interval = new Int32Array(copy('interval'));
  rows.placement = new Int32Array(copy('placement'));
  rows.evidence = new Int32Array(copy('evidence'));
  rows.idHigh = new Float64Array(copy('idHigh'));
  rows.idLow = new Uint32Array(copy('idLow'));
  for (const a of [rows.source, rows.target, rows.interval, rows.placement, rows.evidence, rows.idHigh, rows.idLow]) {
    if (a.length !== rows.length) throw new Error('snapshot row columns differ in length');
  }
  for (const [row, id] of json<[number, string][]>('otherIds')) rows.otherIds.set(row, id);
  for (const [row, given] of json<[number, RowGiven][]>('given')) rows.given.set(row, given);
  for (const [row, b] of json<[number, RebuttalJson][]>('rebuttals')) {
    const state: RebuttalState = { rebutted: b.rebutted, rebuttedFor: b.items && new Set(b.items), rebuttalIds: b.ids };
    rows.rebuttals.set(row, state);
  }
  const ids = json<string[]>('ids');
  const state: GraphState = {
    ids, names: json('names'), kinds: new Uint8Array(copy('kinds')), sources: new Uint8Array(copy('sources')), rows,
    intervals: json<[number | null, number | null][]>('intervals').map(([from, to]) => [fromIn(from), toIn(to)]),
    evidence: json('evidenceLists'), listedBy: json('listedBy'), rowSource: json('rowSource'),
  };
  if (state.kinds.length !== ids.length || state.sources.length !== ids.length || state.names.length !== ids.length) {
    throw new Error('snapshot node columns differ in length');
  }
  return { state, meta: header.meta };
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

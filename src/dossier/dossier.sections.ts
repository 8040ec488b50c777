import type { Dossier, EvidenceRef } from './dossier.model';

/** The paper sizes the dossier is laid out for (VIEWS.md: it prints cleanly on both). */
export const PAPERS = ['a4', 'letter'] as const;
export type Paper = (typeof PAPERS)[number];

export function isPaper(value: unknown): value is Paper {
  return typeof value === 'string' && (PAPERS as readonly string[]).includes(value);
}

/** The sections in order, with the anchors the HTML contents link to; the PDF uses the same titles. */
export const SECTIONS = [
  { id: 'summary', title: 'Executive summary' },
  { id: 'parties', title: 'Parties and roles' },
  { id: 'chart', title: 'Flow chart' },
  { id: 'steps', title: 'Tracing steps' },
  { id: 'rebuttals', title: 'Rebuttal status of labor relationships' },
  { id: 'paths', title: 'Paths' },
  { id: 'evidence', title: 'Evidence appendix' },
] as const;

export const DOCUMENT_TITLE = 'Customs dossier';

/** The facts the document is stated on: shown at the top of both renderings. */
export function metaRows(d: Dossier): [string, string][] {
  const v = d.meta.dataVersion;
  return [
    ['Item', `${d.meta.itemId} ${d.meta.itemName} (${d.meta.itemKind.toLowerCase()})`],
    ['asOf', d.meta.asOf ?? 'not given: goods made at any time (no cut-off)'],
    ['knownAt', d.meta.knownAt ?? 'not given: the graph as recorded now'],
    ['Data version', v ? `change set ${v.id} of ${v.at} by ${v.actor}: ${v.reason}` : 'no change set recorded'],
    ['Generated at', d.meta.generatedAt],
    ['Generated for', `${d.meta.generatedFor.actor} (${d.meta.generatedFor.role})`],
  ];
}

export function summaryRows(d: Dossier): [string, string][] {
  const s = d.summary;
  const count = (c: string | null) => c ?? 'not counted (TOO_COMPLEX)';
  return [
    ['Exposure', s.exposure],
    ['Count status', s.countStatus],
    ['Direct paths', count(s.directPaths)],
    ['  open (not rebutted)', count(s.openDirectPaths)],
    ['  rebutted', count(s.rebuttedDirectPaths)],
    ['Possible paths', count(s.possiblePaths)],
    ['  open (not rebutted)', count(s.openPossiblePaths)],
    ['DPRK labor sources', String(s.sourceCount)],
    ['Sites where DPRK labor worked', String(s.siteCount)],
  ];
}

/** One document as a line of text: "EV-008 audit, 2018-12-01: Title <url>". */
export function evidenceText(e: EvidenceRef): string {
  if (e.withheld) return `${e.id} ${e.kind ?? 'testimony'}: content withheld (investigators only)`;
  if (!e.found) return `${e.id}: no such evidence recorded`;
  return `${e.id} ${[e.kind, e.published].filter(Boolean).join(', ')}: ${e.title}${e.url ? ` ${e.url}` : ''}`;
}

/** The paths section's heading line for one kind. */
export function pathHeading(section: Dossier['paths']['direct'], limit: number): string {
  const kind = section.kind === 'direct' ? 'Direct paths' : 'Possible paths';
  const total = section.total ?? 'not counted (TOO_COMPLEX)';
  if (section.rows.length === 0) return `${kind}: ${total === '0' ? 'none' : total}`;
  return section.more ? `${kind}: ${total} in all; the first ${section.rows.length} listed (at most ${limit})` : `${kind}: ${total}, all listed`;
}

import { createHash } from 'node:crypto';
import { EXTRA_COLUMN_PREFIX, dateTextProperty } from '../dataset/dataset.spec';
import { FTM_ID_MAX_LENGTH, FTM_ID_PATTERN, type FtmEntity } from '../ftm/ftm.model';
import { relationshipId, type NodeKind, type RelType } from '../model/graph-model';

/**
 * The graph as FollowTheMoney entities (docs/ftm.md, "Export"): a pure function of the rows `export/nodes` and
 * `export/relationships` return. Every entity uses a schema of the published FtM model and only that schema's
 * properties, so Aleph, `ftm` and OpenSanctions' tools load the file as it is; what FtM has no schema for (products,
 * bills of materials, production, labor-supply chains) is carried by standard schemata (Asset, UnknownLink with a
 * role), never by made-up ones.
 */

/** A node as the graph stores it: its kind and its properties (dates may be Neo4j dates). */
export interface GraphNodeRow {
  kind: NodeKind;
  props: Record<string, unknown>;
}

/** A relationship as the graph stores it, in its stored direction (OPERATES: company → factory). */
export interface GraphRelationshipRow {
  type: RelType;
  source: string;
  target: string;
  props: Record<string, unknown>;
}

/** Roles of the relationships FtM has no schema for, carried as UnknownLink (subject, role, object). */
export const LINK_ROLES = {
  EMPLOYED_AT: 'employed at', // a cohort (an Organization); one person's employment is an Employment
  RECRUITED_BY: 'recruited by',
  DISPATCHES_TO: 'dispatches workers through',
  SUPPLIES_LABOR_TO: 'supplies labor to',
  SUBCONTRACTOR_OF: 'subcontractor of',
  PRODUCED: 'produced',
  COMPONENT_OF: 'component of',
  SUPPLIES: 'supplies',
  SOURCED_FROM: 'sourced from',
} as const satisfies Partial<Record<RelType, string>>;

/** The role of an OPERATES relationship, written as an Ownership of the factory. */
export const OPERATOR_ROLE = 'operator';

/** Namespaces of exported ids: graph nodes, relationships, and the Address entity a factory's location becomes. */
type IdSpace = 'lt' | 'ltr' | 'lta';

/**
 * A stable FtM id for a labortrace id: `lt-<id>` (nodes), `ltr-<id>` (relationships), `lta-<id>` (a factory's
 * address) when that is a valid FtM id, else the namespace, a dot and a hash of the id (labortrace ids may hold any
 * text; FtM ids only letters, digits, dots and dashes). The two forms cannot meet: only hashed ids have the dot.
 */
export function ftmId(space: IdSpace, id: string): string {
  const plain = `${space}-${id}`;
  if (FTM_ID_PATTERN.test(plain) && plain.length <= FTM_ID_MAX_LENGTH) return plain;
  return `${space}.${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

type Value = string | undefined | null;

function entity(id: string, schema: string, props: Record<string, Value | Value[]>): FtmEntity {
  const properties: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(props)) {
    const values = [...new Set((Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== ''))];
    if (values.length > 0) properties[name] = values;
  }
  return { id, schema, properties };
}

/** A stored value as text (numbers, Neo4j dates and integers by their string form); empty and absent as undefined. */
function text(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const s = Array.isArray(v) ? v.join(';') : String(v);
  return s === '' ? undefined : s;
}

/** A date as it was given (a partial date stays partial: FtM dates are ISO 8601 prefixes, 2023-12 included). */
const dateText = (p: Record<string, unknown>, column: string) => text(p[dateTextProperty(column)] ?? p[column]);
const countryCode = (v: unknown) => text(v)?.toLowerCase();
const ids = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
/** A worker row of headcount 1 is a person; any other (a number, or empty: unknown, never 1) is a cohort. */
const isOnePerson = (p: Record<string, unknown>) => text(p.headcount) === '1';
const isWebUrl = (s: string | undefined): s is string => s !== undefined && /^https?:\/\/\S+$/i.test(s);

/** `column: value` lines for the labortrace columns FtM has no property for, then the x_ columns. */
function columnNotes(p: Record<string, unknown>, columns: readonly string[]): string[] {
  const extra = Object.keys(p).filter((k) => k.startsWith(EXTRA_COLUMN_PREFIX)).sort();
  return [...columns, ...extra].flatMap((c) => {
    const v = text(p[c]);
    return v === undefined ? [] : [`${c}: ${v}`];
  });
}

/** Maps the whole graph; nodes first (in the order given), then the relationships. */
export function graphToFtm(nodes: readonly GraphNodeRow[], relationships: readonly GraphRelationshipRow[]): FtmEntity[] {
  const nodeById = new Map(nodes.map((n) => [String(n.props.id), n]));
  const kindOf = (id: string) => nodeById.get(id)?.kind;
  const nodeRef = (id: string) => ftmId('lt', id);
  /** Evidence ids that are evidence nodes of the export (a Thing's `proof` must name a Document of the file). */
  const proofs = (v: unknown) => ids(v).filter((id) => kindOf(id) === 'Evidence').map(nodeRef);
  const webUrlsOf = (evidenceIds: string[]) => evidenceIds.map((id) => text(nodeById.get(id)?.props.url)).filter(isWebUrl);
  const nameOf = (id: string) => text(nodeById.get(id)?.props.name) ?? id;
  /** The labortrace id, kept in the notes when the FtM id had to be a hash of it. */
  const idNote = (id: string) => (nodeRef(id).startsWith('lt.') ? [`labortrace id: ${id}`] : []);

  // shipments carry their item and importer as relationships: gathered first, written on the shipment itself
  const shipmentItem = new Map<string, string>();
  const shipmentImporter = new Map<string, string>();
  for (const r of relationships) {
    if (r.type === 'SHIPMENT_OF') shipmentItem.set(r.source, r.target);
    if (r.type === 'IMPORTED_BY') shipmentImporter.set(r.source, r.target);
  }

  const out: FtmEntity[] = [];
  for (const { kind, props: p } of nodes) {
    const id = String(p.id);
    const self = nodeRef(id);
    const proof = proofs(p.evidence);
    switch (kind) {
      case 'Company':
        out.push(entity(self, 'Company', { name: text(p.name), country: countryCode(p.country), proof, notes: [...idNote(id), ...columnNotes(p, [])] }));
        break;
      case 'Factory': {
        const lat = text(p.lat);
        const lon = text(p.lon);
        const address = text(p.address);
        const site = address !== undefined || lat !== undefined || lon !== undefined ? ftmId('lta', id) : undefined;
        const osId = text(p.os_id);
        out.push(entity(self, 'Company', {
          name: text(p.name), country: countryCode(p.country), description: 'Factory (production site)', address,
          addressEntity: site, proof,
          sourceUrl: osId === undefined ? undefined : `https://opensupplyhub.org/facilities/${encodeURIComponent(osId)}`,
          notes: [...idNote(id), ...columnNotes(p, ['os_id'])],
        }));
        if (site) {
          out.push(entity(site, 'Address', {
            name: address ?? `${text(p.name) ?? id} (site)`, full: address, latitude: lat, longitude: lon, country: countryCode(p.country),
          }));
        }
        break;
      }
      case 'LaborAgency':
        out.push(entity(self, 'Company', {
          name: text(p.name), country: countryCode(p.country), description: 'Labor agency',
          topics: p.sanctioned === true ? 'sanction' : undefined, proof,
          notes: [...idNote(id), ...(p.dprk_linked === true ? ['dprk_linked: true (known to dispatch DPRK nationals)'] : []), ...columnNotes(p, [])],
        }));
        break;
      case 'Worker': {
        const headcount = text(p.headcount);
        const notes = [...idNote(id), ...columnNotes(p, ['headcount'])];
        if (isOnePerson(p)) {
          out.push(entity(self, 'Person', { name: text(p.name) ?? `Worker ${id}`, nationality: countryCode(p.nationality), proof, notes }));
        } else {
          // FtM has no group of people: a cohort is an Organization, its nationality its country (docs/ftm.md)
          const description = headcount === undefined ? 'Cohort of workers (number unknown)' : `Cohort of ${headcount} workers`;
          out.push(entity(self, 'Organization', { name: text(p.name) ?? `Worker cohort ${id}`, country: countryCode(p.nationality), description, proof, notes }));
        }
        break;
      }
      case 'Evidence': {
        const title = text(p.title) ?? id;
        const url = text(p.url);
        out.push(entity(self, 'Document', {
          // FtM requires a fileName of every Document; evidence is a reference, not a file: it repeats the title
          name: title, title, fileName: title, publishedAt: dateText(p, 'published'), sourceUrl: isWebUrl(url) ? url : undefined, proof,
          notes: [...idNote(id), ...(isWebUrl(url) ? [] : columnNotes(p, ['url'])), ...columnNotes(p, ['kind', 'confidence'])],
        }));
        break;
      }
      case 'Product':
      case 'Component':
        out.push(entity(self, 'Asset', {
          name: text(p.name), description: kind === 'Product' ? 'Product (finished good)' : 'Component (part, sub-assembly or material)', proof,
          notes: [...idNote(id), ...columnNotes(p, kind === 'Product' ? ['sku', 'hs_code', 'brand'] : ['material', 'hs_code'])],
        }));
        break;
      case 'Shipment': {
        const item = shipmentItem.get(id);
        const importer = shipmentImporter.get(id);
        const evidence = ids(p.evidence);
        const from = dateText(p, 'produced_from');
        const to = dateText(p, 'produced_to');
        out.push(entity(self, 'EconomicActivity', {
          recordId: id, ccdNumber: text(p.entry_number), date: dateText(p, 'entry_date'), declarant: importer && nodeRef(importer),
          goodsDescription: item && nameOf(item), originCountry: countryCode(p.declared_origin), sourceUrl: webUrlsOf(evidence),
          description: [
            'Customs entry (shipment)',
            ...(item ? [`item: ${nodeRef(item)}`] : []),
            ...(from || to ? [`produced: ${from ?? '…'} to ${to ?? '…'}`] : []),
            ...columnNotes(p, ['quantity']),
            ...evidenceLines(evidence, []),
          ].join('\n'),
        }));
        break;
      }
    }
  }

  for (const { type, source, target, props: p } of relationships) {
    if (type === 'SHIPMENT_OF' || type === 'IMPORTED_BY') continue;
    const relId = text(p.id) ?? relationshipId(String(p.key));
    const evidence = ids(p.evidence);
    const interval = {
      recordId: relId, startDate: dateText(p, 'from'), endDate: dateText(p, 'to'), sourceUrl: webUrlsOf(evidence),
    };
    const description = (...lines: string[]) => [...lines, ...columnNotes(p, ['quantity']), ...evidenceLines(evidence, ids(p.rebuttals))].join('\n');
    const self = ftmId('ltr', relId);
    if (type === 'OPERATES') {
      out.push(entity(self, 'Ownership', { owner: nodeRef(source), asset: nodeRef(target), role: OPERATOR_ROLE, ...interval, description: description() }));
    } else if (type === 'EMPLOYED_AT' && isOnePerson(nodeById.get(source)?.props ?? {})) {
      out.push(entity(self, 'Employment', { employee: nodeRef(source), employer: nodeRef(target), ...interval, description: description() }));
    } else {
      // SOURCED_FROM is stored company → item; as a sentence it reads "item sourced from company"
      const [subject, object] = type === 'SOURCED_FROM' ? [target, source] : [source, target];
      const placement = text(p.placement);
      out.push(entity(self, 'UnknownLink', {
        subject: nodeRef(subject), object: nodeRef(object), role: LINK_ROLES[type], ...interval,
        description: description(...(placement ? [`placement: ${nameOf(placement)} (${nodeRef(placement)})`] : [])),
      }));
    }
  }
  return out;

  /** Evidence and rebuttals of an entity FtM gives no `proof` (the Interval schemata): the Documents' ids, as text. */
  function evidenceLines(evidence: string[], rebuttals: string[]): string[] {
    return [
      ...(evidence.length > 0 ? [`evidence: ${evidence.map(nodeRef).join(', ')}`] : []),
      ...(rebuttals.length > 0 ? [`rebutted by: ${rebuttals.map(nodeRef).join(', ')}`] : []),
    ];
  }
}

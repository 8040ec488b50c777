/**
 * The details panel beside a graph: a hop's relationships (type, interval, evidence, rebuttals) or a node (kind,
 * country, evidence, and where to go from it). Evidence titles are fetched on demand with EvidenceById.
 */
import { fetchEvidence, isForbidden, type GraphNode, type GraphRelationship, type RebuttalSummary } from './api';
import { append, el, errorList, facts, interval, kindLabel, replaceChildren } from './dom';
import { link, withTime, type ExplorerState } from './router';

export class DetailsPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly state: ExplorerState, hint: string) {
    this.body = el('div', { class: 'details-body' }, el('p', { class: 'hint' }, hint));
    // polite live region: choosing a hop announces what it shows without moving the focus
    this.element = el('aside', { class: 'details', 'aria-live': 'polite', 'aria-label': 'details', tabindex: -1 },
      el('h3', {}, 'Details'), this.body);
  }

  /** One hop: every parallel relationship between the same two nodes (e.g. two employment periods). */
  showRelationships(relationships: GraphRelationship[], nodeName: (id: string) => string): void {
    if (relationships.length === 0) return;
    const first = relationships[0];
    const heading = el('h4', {}, `${nodeName(first.source)} → ${nodeName(first.target)}`);
    replaceChildren(this.body, heading, ...relationships.map((r) => this.relationshipBlock(r, nodeName)));
  }

  showNode(node: GraphNode): void {
    const links = el('p', { class: 'node-links' });
    if (node.kind === 'Product' || node.kind === 'Component') {
      append(links, link('Trace this item', withTime(this.state, { view: 'trace', item: node.id })), ' · ');
    }
    append(links, link('Impact: what it could have touched', withTime(this.state, { view: 'impact', impact: node.id })));
    if (node.kind === 'Company') append(links, ' · ', link('Supplier map', withTime(this.state, { view: 'supply', company: node.id })));
    const evidence = el('div');
    replaceChildren(this.body,
      el('h4', {}, node.name ?? node.id),
      facts([
        ['Kind', kindLabel(node.kind)],
        ['Id', el('code', {}, node.id)],
        ['Country', node.country ?? '—'],
        ['DPRK source', node.source ? 'yes: paths start here' : 'no'],
      ]),
      ...node.listings.map((l) => el('p', { class: 'listing', 'data-listing': `${l.list}:${l.entryId}` },
        el('strong', {}, `Listed: ${l.list} ${l.listVersion}, entry ${l.entryId}`), ` — ${l.entryName}`,
        l.programs.length > 0 ? ` (${l.programs.join(', ')})` : '', l.dprk && node.kind === 'LaborAgency' ? '; a DPRK program: this agency is a source' : '')),
      links,
      evidence);
    if (node.evidenceIds.length > 0) this.fillEvidence(evidence, node.evidenceIds, 'Evidence on the node');
  }

  private relationshipBlock(r: GraphRelationship, nodeName: (id: string) => string): HTMLElement {
    const block = el('section', { class: r.rebutted ? 'relationship rebutted' : 'relationship', 'data-relationship-id': r.id });
    append(block,
      el('h5', {}, r.rebutted ? el('span', { class: 'rebutted-label' }, `✕ ${r.type}`) : r.type, r.rebutted ? ' — rebutted' : ''),
      facts([
        ['Interval', interval(r.from, r.to)],
        ...(r.placement ? [['Placed at', nodeName(r.placement)] as [string, string]] : []),
        ['Relationship id', el('code', {}, r.id)],
      ]));
    const evidence = el('div', { class: 'evidence' });
    block.append(evidence);
    if (r.evidenceIds.length > 0) this.fillEvidence(evidence, r.evidenceIds, 'Evidence');
    else evidence.append(el('p', { class: 'hint' }, 'No evidence recorded on this relationship.'));
    if (r.rebuttals && r.rebuttals.length > 0) block.append(this.rebuttalList(r.rebuttals));
    return block;
  }

  private rebuttalList(rebuttals: RebuttalSummary[]): HTMLElement {
    const list = el('ul', { class: 'rebuttals' });
    for (const rb of rebuttals) {
      const evidence = el('div');
      list.append(el('li', { class: `rebuttal status-${rb.status.toLowerCase()}` },
        el('strong', {}, `${rb.status} rebuttal`), ` — prong ${rb.prong}`,
        rb.itemIds ? ` (only for ${rb.itemIds.join(', ')})` : '',
        rb.note ? el('p', {}, `Note: ${rb.note}`) : null,
        rb.decisionNote ? el('p', {}, `Decision: ${rb.decisionNote}`) : null,
        evidence));
      if (rb.evidence.length > 0) this.fillEvidence(evidence, rb.evidence.map((e) => e.id), 'Rebuttal evidence');
    }
    return el('div', {}, el('h6', {}, 'Rebuttals'), list);
  }

  /** Evidence rows as a list, titles filled in as they arrive; a restricted row says so instead. */
  private fillEvidence(container: HTMLElement, ids: string[], heading: string): void {
    const list = el('ul', { class: 'evidence-list' });
    container.append(el('h6', {}, heading), list);
    for (const id of ids) {
      const item = el('li', { 'data-evidence-id': id }, el('code', {}, id), ' …');
      list.append(item);
      void fetchEvidence(id, this.state.knownAt).then(({ data, errors }) => {
        const row = data?.evidence;
        if (row) {
          replaceChildren(item,
            row.url ? externalLink(row.title, row.url) : el('span', { class: 'evidence-title' }, row.title),
            el('span', { class: 'evidence-meta' }, ` — ${[row.kind, row.published, row.confidence !== null ? `confidence ${row.confidence}` : null].filter(Boolean).join(', ')} `),
            el('code', {}, row.id));
        } else if (errors.length > 0 && errors.every(isForbidden)) {
          replaceChildren(item, el('code', {}, id), ' — restricted: your role may not read this document (e.g. testimony)');
        } else {
          replaceChildren(item, el('code', {}, id), errors.length > 0 ? null : ' — not found', errorList(errors, `Evidence ${id}`));
        }
      });
    }
  }
}

/** Evidence URLs point elsewhere: opened in a new tab, without sending this page as referrer. */
function externalLink(text: string, url: string): HTMLElement {
  if (!/^https?:\/\//i.test(url)) return el('span', { class: 'evidence-title' }, `${text} (${url})`);
  const a = el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'evidence-title' }, text);
  return a;
}

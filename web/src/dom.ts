/**
 * Small DOM helpers. Data from the API only ever reaches the page as text (textContent, attribute values),
 * never as markup, so a name like "<script>" is shown, not run.
 */
import { isForbidden, type GraphQLErrorEntry } from './api';

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Element, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A button that does something on click (and so on Enter and Space: it is a real button). */
export function button(text: string, onClick: () => void, attributes: Record<string, string | number | boolean | undefined> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attributes }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** A region that shows GraphQL errors; FORBIDDEN ones as notices of what the role may not see. */
export function errorList(errors: GraphQLErrorEntry[], context: string): HTMLElement | null {
  if (errors.length === 0) return null;
  const forbiddenOnly = errors.every(isForbidden);
  const box = el('div', { class: forbiddenOnly ? 'notice' : 'error', role: forbiddenOnly ? 'status' : 'alert' });
  append(box, el('strong', {}, forbiddenOnly ? `${context}: not available to your role` : `${context}: the API reported an error`));
  const list = el('ul');
  const seen = new Set<string>();
  for (const e of errors) {
    const line = describeError(e);
    if (seen.has(line)) continue; // the same refused field on every row of a list says one thing
    seen.add(line);
    list.append(el('li', {}, line));
  }
  box.append(list);
  return box;
}

function describeError(e: GraphQLErrorEntry): string {
  const where = e.path ? e.path.filter((p) => typeof p === 'string').join('.') : '';
  const code = e.extensions?.code;
  if (code === 'FORBIDDEN') return `${where || 'a field'}: ${e.message}`;
  return `${code ? `${code}: ` : ''}${e.message}${where ? ` (at ${where})` : ''}`;
}

export function loading(text = 'Loading…'): HTMLElement {
  return el('p', { class: 'loading', role: 'status' }, text);
}

/** A BigInt count as text; null (TOO_COMPLEX) as a dash. */
export function count(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const text = String(value);
  return /^\d+$/.test(text) && text.length <= 15 ? Number(text).toLocaleString('en-US') : text;
}

export function interval(from: string | null, to: string | null): string {
  return `${from ?? 'since always'} → ${to ?? 'ongoing'}`;
}

export function exposureBadge(exposure: string): HTMLElement {
  return el('span', { class: `exposure exposure-${exposure.toLowerCase()}`, 'data-exposure': exposure }, exposure);
}

/** A definition list of label/value pairs, values as text. */
export function facts(pairs: [string, Child][]): HTMLDListElement {
  const dl = el('dl', { class: 'facts' });
  for (const [label, value] of pairs) {
    dl.append(el('div', {}, el('dt', {}, label), el('dd', {}, value)));
  }
  return dl;
}

export function kindLabel(kind: string): string {
  return kind === 'LaborAgency' ? 'Labor agency' : kind;
}

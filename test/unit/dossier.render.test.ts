import { buildDossier } from '../../src/dossier/dossier.model';
import { escapeHtml, renderDossierHtml } from '../../src/dossier/dossier.html';
import { SECTIONS } from '../../src/dossier/dossier.sections';
import { layoutFlowChart } from '../../src/dossier/flow-chart';
import { fixture, rel } from './dossier.fixture';

describe('flow chart layout', () => {
  const chart = buildDossier(fixture()).chart;
  const layout = layoutFlowChart(chart);
  const box = (id: string) => layout.boxes.find((b) => b.id === id)!;

  it('places every node once, inside the drawing, without overlaps', () => {
    expect(layout.boxes.map((b) => b.id).sort()).toEqual(chart.nodes.map((n) => n.id).sort());
    for (const b of layout.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(layout.width + 0.5);
      expect(b.y + b.height).toBeLessThanOrEqual(layout.height + 0.5);
    }
    for (const a of layout.boxes) {
      for (const b of layout.boxes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('flows from the sources at the top to the traced item at the bottom, each arrow from its source box to its target box', () => {
    expect(box('W1').y).toBeLessThan(box('F1').y);
    expect(box('A1').y).toBeLessThan(box('F1').y);
    expect(box('F1').y).toBeLessThan(box('C1').y);
    expect(box('C1').y).toBeLessThan(box('P1').y);
    const near = (p: { x: number; y: number }, b: { x: number; y: number; width: number; height: number }) =>
      p.x >= b.x - 2 && p.x <= b.x + b.width + 2 && p.y >= b.y - 2 && p.y <= b.y + b.height + 2;
    expect(layout.arrows).toHaveLength(chart.edges.length);
    for (const a of layout.arrows) {
      expect(near(a.points[0], box(a.source))).toBe(true);
      expect(near(a.points[a.points.length - 1], box(a.target))).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(layoutFlowChart(chart)).toEqual(layout);
  });
});

describe('dossier HTML', () => {
  it('has every section, the contents linking to them, and the facts it is stated on', () => {
    const html = renderDossierHtml(buildDossier(fixture()));
    for (const s of SECTIONS) {
      expect(html).toContain(`<section id="${s.id}">`);
      expect(html).toContain(`<a href="#${s.id}">${escapeHtml(s.title)}</a>`);
    }
    expect(html).toContain('Contents');
    expect(html).toMatch(/asOf<\/td><td>2024-06-30/);
    expect(html).toMatch(/knownAt<\/td><td>not given/);
    expect(html).toMatch(/Data version<\/td><td>change set cs-7/);
    expect(html).toMatch(/Generated at<\/td><td>2024-07-01T12:00:00.000Z/);
    expect(html).toMatch(/Step 1\. /);
    expect(html).toMatch(/Step 5\. W1 \(KP, 40 workers\) worked at F1 Plant \(CN\)/);
    expect(html).toContain('NOT_FORCED');
    expect(html).toContain('<svg');
    expect(html).toContain('https://example.org/r1');
  });

  it('is self-contained: no script, no external stylesheet, image or font', () => {
    const html = renderDossierHtml(buildDossier(fixture()));
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    expect(html).not.toMatch(/\ssrc=/i);
  });

  it('escapes every value from the data, and links only http(s) URLs', () => {
    const input = fixture();
    input.result.item.name = '<script>alert("item")</script>';
    input.result.trace.subgraph.nodes.find((n) => n.id === 'F1')!.name = 'Plant <img src=x onerror=alert(1)> & Sons "quoted"';
    input.evidence = new Map([...input.evidence, ['EV-1', { id: 'EV-1', kind: '<b>kind</b>', title: '</td><script>x</script>', published: null, url: 'javascript:alert(1)', confidence: null }]]);
    input.result.trace.subgraph.relationships.push(rel('r-x"><svg onload=alert(1)>', 'SUPPLIES_LABOR_TO', 'A1', 'F1'));
    const html = renderDossierHtml(buildDossier(input));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>kind/);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toContain('<svg onload');
    expect(html).toContain('&lt;script&gt;alert(&quot;item&quot;)&lt;/script&gt;');
    expect(html).toContain('Plant &lt;img src=x onerror=alert(1)&gt; &amp; Sons &quot;quoted&quot;');
  });

  it('sets the printed page size: A4 by default, Letter on request', () => {
    const d = buildDossier(fixture());
    expect(renderDossierHtml(d)).toMatch(/@page \{ size: A4;/);
    expect(renderDossierHtml(d, 'letter')).toMatch(/@page \{ size: letter;/);
  });

  it('withholds worker names and testimony below investigator', () => {
    const html = renderDossierHtml(buildDossier(fixture()));
    expect(html).not.toContain('Kim Private-Name');
    expect(html).toContain('EV-3 testimony: content withheld (investigators only)');
    expect(renderDossierHtml(buildDossier(fixture({ personalData: true })))).toContain('Kim Private-Name');
  });
});

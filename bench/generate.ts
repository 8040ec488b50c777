import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * A deterministic synthetic catalogue in the CSV dataset format, written as it is generated (nothing but a few
 * counters is held in memory, so 10^6+ nodes stream straight to disk).
 *
 * Shape, per `nodes` (N): products 12%, components 58% in 8 BOM levels (each item has 2-4 children one or two levels
 * down, drawn at random so sub-assemblies are shared; products start 1-3 levels down, so depths run 4-10),
 * factories 12%, companies 4% (operators, six supply tiers with a few peer edges), agencies 0.5% (10% DPRK-linked),
 * worker cohorts 7.5% (3% DPRK nationals), evidence 1%. Production, subcontracting, employment and labor supply
 * carry intervals between 2005 and 2024. One extra product, BENCH-DIAMOND, sits on a 24-level diamond
 * (2^24 paths) so that deep path pages can be measured.
 */
export interface GenerateOptions {
  nodes: number;
  seed: number;
  dir: string;
  /**
   * Companies CO0..CO(k-1) made one strongly connected supply component: a ring through all of them plus a random
   * chord from half of them (distributors that buy from each other), drawn from a random stream of its own so the
   * rest of the catalogue is the one without it.
   */
  supplyCycle?: number;
}

export interface GenerateSummary {
  nodes: number;
  relationships: number;
  rows: number;
  products: number;
  files: Record<string, number>;
}

/** mulberry32: small, fast, good enough for synthetic data, and the same on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class CsvOut {
  rows = 0;
  private buf: string[] = [];
  private size = 0;
  private readonly out: WriteStream;

  constructor(file: string, header: string) {
    this.out = createWriteStream(file);
    this.buf.push(header + '\n');
  }

  async line(l: string): Promise<void> {
    this.rows++;
    this.buf.push(l + '\n');
    this.size += l.length;
    if (this.size > 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.out.write(chunk)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

const LEVELS = 8;
const DIAMOND_LEVELS = 24;

export async function generate(opts: GenerateOptions, progress?: (msg: string) => void): Promise<GenerateSummary> {
  const N = opts.nodes;
  const r = rng(opts.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (n: number) => Math.floor(r() * n);
  const year = () => 2005 + pick(20);
  const interval = (): [string, string] => {
    const from = year();
    const to = r() < 0.4 ? '' : `${Math.min(2024, from + int(0, 8))}-12-31`;
    return [`${from}-${String(int(1, 12)).padStart(2, '0')}-01`, to];
  };

  const nProducts = Math.max(3, Math.round(0.12 * N));
  const perLevel = Math.max(2, Math.round((0.58 * N) / LEVELS));
  const nFactories = Math.max(4, Math.round(0.12 * N));
  const nCompanies = Math.max(3, Math.round(0.04 * N));
  const nAgencies = Math.max(2, Math.round(0.005 * N));
  const nWorkers = Math.max(5, Math.round(0.075 * N));
  const nEvidence = Math.max(2, Math.round(0.01 * N));
  const comp = (level: number, i: number) => `C${level}-${i}`;
  const evidence = () => (r() < 0.1 ? `E${pick(nEvidence)}` : '');

  await fs.mkdir(opts.dir, { recursive: true });
  const file = (name: string, header: string) => new CsvOut(path.join(opts.dir, name), header);
  const files = {
    products: file('products.csv', 'id,name,sku,brand'),
    components: file('components.csv', 'id,name,material'),
    factories: file('factories.csv', 'id,name,country,operator_id'),
    companies: file('companies.csv', 'id,name,country'),
    agencies: file('agencies.csv', 'id,name,country,dprk_linked'),
    workers: file('workers.csv', 'id,nationality,headcount'),
    evidence: file('evidence.csv', 'id,title,kind,confidence'),
    bom: file('bom.csv', 'parent_id,child_id,quantity'),
    production: file('production.csv', 'item_id,factory_id,from,to,evidence'),
    subcontracts: file('subcontracts.csv', 'factory_id,subcontractor_id,from,to'),
    employment: file('employment.csv', 'worker_id,factory_id,from,to,evidence'),
    recruitment: file('recruitment.csv', 'worker_id,agency_id'),
    labor: file('labor_supply.csv', 'agency_id,factory_id,from,to,evidence'),
    supply: file('supply.csv', 'supplier_id,customer_id'),
    sourcing: file('sourcing.csv', 'item_id,company_id'),
  };
  const COUNTRIES = ['CN', 'CN', 'CN', 'VN', 'BD', 'IN', 'RU', 'PL', 'MX', 'TR', 'ID', 'AO', 'GQ', 'KH', 'MY'];

  for (let i = 0; i < nEvidence; i++) await files.evidence.line(`E${i},Synthetic source ${i},audit,${(r()).toFixed(2)}`);
  for (let i = 0; i < nCompanies; i++) await files.companies.line(`CO${i},Company ${i},${COUNTRIES[pick(COUNTRIES.length)]}`);
  for (let i = 0; i < nAgencies; i++) {
    const linked = r() < 0.1;
    await files.agencies.line(`A${i},Agency ${i},${linked && r() < 0.3 ? 'KP' : COUNTRIES[pick(COUNTRIES.length)]},${linked}`);
  }
  for (let i = 0; i < nFactories; i++) {
    await files.factories.line(`F${i},Factory ${i},${COUNTRIES[pick(COUNTRIES.length)]},${r() < 0.8 ? `CO${pick(nCompanies)}` : ''}`);
  }
  progress?.('companies, agencies, factories written');

  // Tiered supply: 6 tiers, each company supplies one or two companies of the tier below it (tier 0: brands and
  // retailers); 2% also supply a peer in their own tier, so small cycles exist as in real trade, but no company is
  // upstream of the whole market.
  const TIERS = 6;
  const tierSize = Math.max(1, Math.ceil(nCompanies / TIERS));
  for (let i = tierSize; i < nCompanies; i++) {
    const below = Math.floor(i / tierSize) - 1;
    for (let k = int(1, 2); k > 0; k--) await files.supply.line(`CO${i},CO${below * tierSize + pick(tierSize)}`);
    if (r() < 0.02) await files.supply.line(`CO${i},CO${(below + 1) * tierSize + pick(Math.min(tierSize, nCompanies - (below + 1) * tierSize))}`);
  }
  const cycle = Math.min(opts.supplyCycle ?? 0, nCompanies);
  if (cycle > 1) {
    const rc = rng(opts.seed + 1);
    for (let i = 0; i < cycle; i++) {
      await files.supply.line(`CO${i},CO${(i + 1) % cycle}`);
      const chord = Math.floor(rc() * cycle);
      if (rc() < 0.5 && chord !== i && chord !== (i + 1) % cycle) await files.supply.line(`CO${i},CO${chord}`);
    }
  }
  for (let i = 0; i < nWorkers; i++) {
    const kp = r() < 0.03;
    await files.workers.line(`W${i},${kp ? 'KP' : COUNTRIES[pick(COUNTRIES.length)]},${int(5, 400)}`);
    for (let k = int(1, 2); k > 0; k--) {
      const [from, to] = interval();
      await files.employment.line(`W${i},F${pick(nFactories)},${from},${to},${evidence()}`);
    }
    if (r() < 0.3) await files.recruitment.line(`W${i},A${pick(nAgencies)}`);
  }
  for (let i = 0; i < nAgencies; i++) {
    for (let k = int(2, 6); k > 0; k--) {
      const [from, to] = interval();
      await files.labor.line(`A${i},F${pick(nFactories)},${from},${to},${evidence()}`);
    }
  }
  for (let i = 0; i < nFactories; i++) {
    if (r() >= 0.15) continue;
    for (let k = int(1, 2); k > 0; k--) {
      const [from, to] = interval();
      const sub = pick(nFactories);
      if (sub !== i) await files.subcontracts.line(`F${i},F${sub},${from},${to}`);
    }
  }
  progress?.('labor and supply written');

  const produce = async (id: string) => {
    for (let k = r() < 0.2 ? 2 : 1; k > 0; k--) {
      const [from, to] = interval();
      await files.production.line(`${id},F${pick(nFactories)},${from},${to},${evidence()}`);
    }
    if (r() < 0.03) await files.sourcing.line(`${id},CO${pick(nCompanies)}`);
  };
  const children = async (id: string, level: number) => {
    // level: the level of the item; children come from level+1 or level+2
    if (level >= LEVELS) return;
    const seen = new Set<string>();
    for (let k = int(2, 4); k > 0; k--) {
      const l = Math.min(LEVELS, level + (r() < 0.7 ? 1 : 2));
      const child = comp(l, pick(perLevel));
      if (seen.has(child)) continue;
      seen.add(child);
      await files.bom.line(`${id},${child},${int(1, 12)}`);
    }
  };
  for (let i = 0; i < nProducts; i++) {
    const id = `P${i}`;
    await files.products.line(`${id},Product ${i},SKU-${i},Brand ${i % 50}`);
    await produce(id);
    await children(id, int(0, 2));
    if (i % 100_000 === 0 && i > 0) progress?.(`${i} products`);
  }
  for (let level = 1; level <= LEVELS; level++) {
    for (let i = 0; i < perLevel; i++) {
      const id = comp(level, i);
      await files.components.line(`${id},Component ${level}/${i},material ${i % 40}`);
      await produce(id);
      await children(id, level);
    }
    progress?.(`BOM level ${level} written`);
  }

  // The diamond: BENCH-DIAMOND -> {DA_l, DB_l} -> DL_(l-1) ... -> DL_0, made where one DPRK cohort worked.
  await files.products.line('BENCH-DIAMOND,Benchmark diamond,SKU-DIAMOND,Bench');
  await files.workers.line('W-DIAMOND,KP,10');
  await files.factories.line('F-DIAMOND,Diamond plant,CN,');
  await files.employment.line('W-DIAMOND,F-DIAMOND,2010-01-01,,');
  await files.production.line('DL0,F-DIAMOND,2009-01-01,,');
  await files.components.line('DL0,Diamond level 0,steel');
  for (let l = 1; l <= DIAMOND_LEVELS; l++) {
    const top = l === DIAMOND_LEVELS ? 'BENCH-DIAMOND' : `DL${l}`;
    if (l < DIAMOND_LEVELS) await files.components.line(`DL${l},Diamond level ${l},steel`);
    await files.components.line(`DA${l},Diamond left ${l},steel`);
    await files.components.line(`DB${l},Diamond right ${l},steel`);
    await files.bom.line(`DA${l},DL${l - 1},1`);
    await files.bom.line(`DB${l},DL${l - 1},1`);
    await files.bom.line(`${top},DA${l},1`);
    await files.bom.line(`${top},DB${l},1`);
  }

  const counts: Record<string, number> = {};
  for (const [name, f] of Object.entries(files)) {
    await f.close();
    counts[name] = f.rows;
  }
  const nodeFiles = ['products', 'components', 'factories', 'companies', 'agencies', 'workers', 'evidence'];
  const nodes = nodeFiles.reduce((s, k) => s + counts[k], 0);
  const operators = 0; // operator_id rows become OPERATES relationships; counted by the importer
  const relationships = Object.entries(counts).filter(([k]) => !nodeFiles.includes(k)).reduce((s, [, n]) => s + n, operators);
  return { nodes, relationships, rows: nodes + relationships, products: counts.products, files: counts };
}

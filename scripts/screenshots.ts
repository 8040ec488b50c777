import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEED_DIR } from '../src/cli/serve.command';
import { PROJECT_ROOT } from '../src/config';
import { serveDataset } from '../bench/served-dataset';
import { launchBrowser } from '../test/helpers/browser';

/**
 * `npm run screenshots`: the README's pictures, docs/screenshots/*.png, made again from the demo data (seed/):
 * the explorer's catalogue screen and a product's trace at 1280×800, the trace on a phone (390×844), and the first
 * page of that product's dossier (the PDF rendered by poppler's `pdftoppm`: Debian package poppler-utils). Uses
 * its own embedded Neo4j under .labortrace/screenshots and Debian's Chromium (LABORTRACE_CHROMIUM to override).
 */

const OUT = path.join(PROJECT_ROOT, 'docs', 'screenshots');
/** A product with a rebutted path, an agency and a subcontractor (seed/README.md). */
const PRODUCT = 'P-TILE-BOX';
const log = (msg: string) => process.stderr.write(`screenshots: ${msg}\n`);

async function main(): Promise<number> {
  mkdirSync(OUT, { recursive: true });
  const served = await serveDataset('screenshots', SEED_DIR, log, 1024);
  const browser = await launchBrowser();
  try {
    const shots: [string, { width: number; height: number }, string, string][] = [
      ['explorer-screen.png', { width: 1280, height: 800 }, '/?view=screen', '.screen-table tr[data-item-id]'],
      ['explorer-trace.png', { width: 1280, height: 800 }, `/?item=${PRODUCT}`, '.graph-canvas[data-state="drawn"]'],
      ['explorer-trace-phone.png', { width: 390, height: 844 }, `/?item=${PRODUCT}`, '.graph-canvas[data-state="drawn"]'],
    ];
    for (const [file, viewport, url, ready] of shots) {
      const page = await browser.newPage({ viewport });
      await page.goto(served.base + url);
      await page.waitForSelector(ready, { timeout: 30_000 });
      await page.waitForTimeout(500); // the layout's animation settles
      await page.screenshot({ path: path.join(OUT, file) });
      await page.close();
      log(`docs/screenshots/${file}`);
    }

    const res = await fetch(`${served.base}/dossier/${PRODUCT}.pdf`);
    if (!res.ok) throw new Error(`the dossier answered HTTP ${res.status}`);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'screenshots-'));
    const pdf = path.join(tmp, 'dossier.pdf');
    writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
    const r = spawnSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '80', '-png', '-singlefile', pdf, path.join(tmp, 'page')], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`pdftoppm failed (apt-get install poppler-utils): ${r.error?.message ?? r.stderr}`);
    renameSync(path.join(tmp, 'page.png'), path.join(OUT, 'dossier-page1.png'));
    rmSync(tmp, { recursive: true, force: true });
    log('docs/screenshots/dossier-page1.png');
    return 0;
  } finally {
    await browser.close();
    served.api.kill('SIGTERM');
  }
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`screenshots: ${(e as Error).message}\n`);
  process.exit(1);
});

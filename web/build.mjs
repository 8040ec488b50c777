// Builds the explorer (docs/explorer.md) into dist/web: one JS bundle (esbuild), the HTML page and the stylesheet.
// Everything the page loads comes from here, so it works offline and under the strict CSP of src/http/explorer.route.ts.
// Run by `npm run build` (and so at `npm install`); any error exits non-zero so a broken page never ships silently.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(webDir, '..', 'dist', 'web');
const assetsDir = path.join(outDir, 'assets');

try {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(assetsDir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(webDir, 'src', 'main.ts')],
    outfile: path.join(assetsDir, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error(`${result.errors.length} esbuild error(s)`);
  await copyFile(path.join(webDir, 'index.html'), path.join(outDir, 'index.html'));
  await copyFile(path.join(webDir, 'styles.css'), path.join(assetsDir, 'styles.css'));
  process.stderr.write(`explorer: built ${path.relative(process.cwd(), outDir) || outDir}\n`);
} catch (e) {
  process.stderr.write(`explorer build failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

import path from 'node:path';
import { existsSync } from 'node:fs';
import express, { type Express } from 'express';
import { PROJECT_ROOT } from '../config';
import { errorBody } from '../graphql/errors';

/** Where `npm run build` puts the bundled explorer (web/build.mjs). */
export const EXPLORER_DIR = path.join(PROJECT_ROOT, 'dist', 'web');

/**
 * The explorer (VIEWS.md): static files only, built at install time. They carry no data, so they need no
 * credential; the page asks /graphql for everything with the key the user gives it. The content security policy
 * allows nothing but this origin, so a script or style from a CDN would fail in the browser tests too.
 */
export function mountExplorer(app: Express): void {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const headers: express.RequestHandler = (_req, res, next) => {
    res.set('Content-Security-Policy', csp);
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  };
  app.get('/', headers, (_req, res) => {
    const index = path.join(EXPLORER_DIR, 'index.html');
    if (!existsSync(index)) {
      res.status(404).json(errorBody('NOT_FOUND', 'the explorer is not built: run `npm run build`'));
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  app.use('/assets', headers, express.static(path.join(EXPLORER_DIR, 'assets'), { index: false, fallthrough: true, maxAge: '1h' }));
}

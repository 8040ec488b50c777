import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (CI installs it with apt); LABORTRACE_CHROMIUM names another executable. */
export const CHROMIUM_PATH = process.env.LABORTRACE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium. A missing browser fails the test with how to install it: browser tests are part
 * of the suite and never skipped. The flags keep Chromium from calling home (updates, sync, QUIC probes), which
 * on a closed network would only produce noise and delays.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with \`sudo apt-get install chromium\` (Debian/Ubuntu), `
      + 'or set LABORTRACE_CHROMIUM to a Chromium or Chrome executable');
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** What went wrong in a page: console errors, uncaught exceptions, failed requests and HTTP errors. */
export interface PageProblems {
  list: string[];
}

/** Records every console error, page error, failed request and HTTP error response of the page. */
export function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { list: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.list.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.list.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.list.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? '?'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.list.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

// Headless Debian chromium through puppeteer-core, for the dashboard tests: the browser, and pages that record console
// errors and block (and record) every request that would leave the server under test.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export async function launchChromium(): Promise<Browser> {
  const puppeteer = await import('puppeteer-core');
  return puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new', '--disable-gpu'] });
}

export interface Watched {
  page: Page;
  errors: string[];
  foreign: string[];
}

/** A page that records console errors and warnings, page errors and every request not to `origin`, which it blocks. */
export async function watchedPage(
  browser: Browser,
  origin: string,
  viewport = { width: 1280, height: 900 },
): Promise<Watched> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    // Warnings too, except the one the span test causes itself by reading canvas pixels back.
    if (m.type() === 'error' || (m.type() === 'warn' && !m.text().includes('willReadFrequently')))
      errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url().startsWith(origin) || r.url().startsWith('data:')) return void r.continue();
    foreign.push(r.url());
    void r.abort();
  });
  return { page, errors, foreign };
}

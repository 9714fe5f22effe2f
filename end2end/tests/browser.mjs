// Shared by the browser tests: launching Debian's Chromium and saving screenshots.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE = process.env.PANEL_URL ?? 'http://127.0.0.1:8080';
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

/** Starts headless Chromium with the flags this machine needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Collects what went wrong on a page into `errors`: uncaught exceptions, and what the
 * Content-Security-Policy refused (the console reports it; nothing else notices).
 */
export function collectErrors(page, errors) {
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
}

/** Saves a screenshot under end2end/screenshots/: the full page, or what the screen shows. */
export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** Fails when the page is wider than its viewport (horizontal scroll on a phone). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The admin's password in the browser tests (the auth test creates the admin). */
export const PASSWORD = 'a very good password';

/** Signs in as the admin (creating it if this test runs first) and waits for the dashboard. */
export async function signIn(page) {
  await page.goto(BASE + '/');
  // the auth test ran first and made the admin
  await page.waitForSelector('[data-testid=login-form], [data-testid=setup-form], [data-testid=dashboard]');
  if (await page.$('[data-testid=setup-form]')) {
    await page.fill('#username', 'admin');
    await page.fill('#password', PASSWORD);
    await page.fill('#confirm', PASSWORD);
    await page.click('button[type=submit]');
  } else if (await page.$('[data-testid=login-form]')) {
    await page.fill('#username', 'admin');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
  }
  await page.waitForSelector('[data-testid=dashboard]');
}

/** Calls a server function from the page, as the app does (same origin, the session cookie). */
export async function call(page, endpoint, body) {
  return page.evaluate(async ([endpoint, body]) => {
    const res = await fetch(`/api/${endpoint}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, [endpoint, body]);
}

/**
 * Creates a server on the Small plan through the API, as the page's user (Vanilla unless
 * `template` names another slug); its id.
 */
export async function createServer(page, name, { template = 'vanilla', variables = {} } = {}) {
  const templates = (await call(page, 'templates', {})).body;
  const plans = (await call(page, 'plans', {})).body;
  const created = await call(page, 'server_create', {
    name, variables,
    template_id: templates.find((t) => t.slug === template).id,
    plan_id: plans.find((p) => p.slug === 'small').id,
  });
  if (created.status !== 200) throw new Error(`creating ${name}: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Waits (up to a minute) until a server's files answer, which means it runs. */
export async function waitFiles(page, id) {
  for (let i = 0; i < 120; i++) {
    if ((await call(page, 'files_list', { id, path: '/' })).status === 200) return;
    await page.waitForTimeout(500);
  }
}

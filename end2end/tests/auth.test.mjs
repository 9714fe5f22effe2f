// First-run setup, sign out, wrong password, sign in, and the dashboard, in a real Chromium
// against the real panel (built wasm, real server, real Postgres).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, shot, horizontalOverflow, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('first run, sign out, sign in, dashboard; at 1280 and 360 px', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);

  // A fresh panel sends the visitor to first-run setup.
  await page.goto(BASE + '/');
  await page.waitForSelector('[data-testid=setup-form]', { timeout: 30000 });
  assert.match(page.url(), /\/setup$/);

  // The form refuses a mismatched confirmation before calling the server.
  await page.fill('#username', 'admin');
  await page.fill('#password', PASSWORD);
  await page.fill('#confirm', PASSWORD + 'x');
  await page.click('button[type=submit]');
  await page.waitForSelector('.banner-error');
  assert.match(await page.textContent('.banner-error'), /do not match/);

  await page.fill('#confirm', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=dashboard]');
  assert.equal((await page.textContent('[data-testid=current-user]')).trim(), 'admin');
  assert.match(await page.textContent('[data-testid=dashboard]'), /No servers yet/);
  await shot(page, 'dashboard-1280');

  // The session cookie is HttpOnly and SameSite=Strict, invisible to scripts.
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'panel_session');
  assert.ok(session, 'session cookie set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie.includes('panel_session')), false);

  // Setup is gone once an admin exists.
  await page.goto(BASE + '/setup');
  await page.waitForSelector('[data-testid=dashboard]');

  // Sign out.
  await page.click('[data-testid=logout]');
  await page.waitForSelector('[data-testid=login-form]');
  assert.match(page.url(), /\/login$/);
  // The dashboard is no longer reachable.
  await page.goto(BASE + '/');
  await page.waitForSelector('[data-testid=login-form]');

  // A wrong password gets a clear message.
  await page.fill('#username', 'admin');
  await page.fill('#password', 'not the password');
  await page.click('button[type=submit]');
  await page.waitForSelector('.banner-error');
  assert.match(await page.textContent('.banner-error'), /Wrong username or password/);

  // Sign in.
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=dashboard]');
  assert.equal((await page.textContent('[data-testid=current-user]')).trim(), 'admin');

  // Phone width: nothing wider than the screen.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  await page.waitForSelector('[data-testid=dashboard]');
  assert.equal(await horizontalOverflow(page), 0, 'dashboard scrolls sideways at 360 px');
  await shot(page, 'dashboard-360');

  const phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const login = await phone.newPage();
  await login.goto(BASE + '/login');
  await login.waitForSelector('[data-testid=login-form]');
  assert.equal(await horizontalOverflow(login), 0, 'login scrolls sideways at 360 px');
  await shot(login, 'login-360');

  assert.deepEqual(errors, [], 'no uncaught errors in the page');
  await phone.close();
  await context.close();
});

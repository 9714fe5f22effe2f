// Notices: a server that finishes starting is announced on whatever page the owner has open
// (a toast that leads to it), and the Account page tells whether this device shows system
// notifications, asking only on a click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, createServer, launch, shot, signIn, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a server that finishes starting is announced, and the toast leads to it', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);

  // not asked yet: a button, no prompt
  await page.goto(BASE + '/account');
  await page.waitForSelector('[data-testid=notify-enable]');
  await context.grantPermissions(['notifications']);
  await page.reload();
  assert.match(await (await page.waitForSelector('[data-testid=notify-state]')).textContent(), /On for this device/);

  // a server created elsewhere (a script, another tab) while the person reads the activity log
  await page.goto(BASE + '/audit');
  await page.waitForSelector('[data-testid=audit]');
  const id = await createServer(page, 'e2e-notify');
  const toast = await page.waitForSelector('[data-testid=toast]:has-text("e2e-notify is running")', { timeout: 120000 });
  await shot(page, 'notice-360', { fullPage: false });
  await toast.$eval('a', (a) => a.click());
  await page.waitForURL(`${BASE}/servers/${id}`);
  await page.waitForSelector('[data-testid=server]');

  assert.equal((await call(page, 'server_delete', { id: id, keep_world: false })).status, 200);
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});

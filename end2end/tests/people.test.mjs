// The account, users and activity pages: usable at 360 px, a token created and shown once,
// two-factor set-up reachable, the admin's users list and the activity log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'playwright-core';
import { BASE, PASSWORD, launch, shot, horizontalOverflow, signIn, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('account: a token shown once; users and activity pages at 360 px', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);

  await page.click('[data-testid=nav-account]');
  await page.waitForSelector('[data-testid=account]');
  await page.waitForSelector('[data-testid=sessions] .member');
  await page.fill('[data-testid=token-name]', 'backup script');
  // a wrong password is refused in words, and no token is made
  await page.fill('[data-testid=token-password]', 'not the password');
  await page.click('[data-testid=token-create]');
  await page.waitForSelector('[data-testid=tokens] .banner-error');
  assert.match(await page.textContent('[data-testid=tokens] .banner-error'), /password is not right/);
  await page.fill('[data-testid=token-password]', PASSWORD);
  await page.click('[data-testid=token-create]');
  const secret = await page.textContent('[data-testid=new-token] code');
  assert.match(secret, /^mcp_[0-9a-f]{64}$/);
  await page.waitForSelector('[data-testid=token]');
  // the token works from a script (no cookie)
  const script = await request.newContext();
  const res = await script.post(`${BASE}/api/servers`, {
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    data: '{}',
  });
  assert.equal(res.status(), 200);
  await script.dispose();
  await page.fill('[data-testid=totp-password]', PASSWORD);
  await page.click('[data-testid=totp-setup]');
  await page.waitForSelector('[data-testid=totp-secret]');
  assert.equal(await horizontalOverflow(page), 0, 'the account page scrolls sideways at 360 px');
  await shot(page, 'account-360');

  await page.goto(`${BASE}/users`);
  await page.waitForSelector('[data-testid=user][data-name=admin]');
  assert.equal(await horizontalOverflow(page), 0, 'the users page scrolls sideways at 360 px');
  await shot(page, 'users-360');

  await page.goto(`${BASE}/audit`);
  await page.waitForSelector('[data-testid=audit-entry]');
  assert.match(await page.textContent('[data-testid=audit]'), /token\.create/);
  assert.equal(await horizontalOverflow(page), 0, 'the activity page scrolls sideways at 360 px');
  await shot(page, 'audit-360');
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});

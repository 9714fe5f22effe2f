// Single sign-on in a real Chromium: the sign-in page's button goes through a real OpenID
// Connect provider (npm's oidc-provider, started by scripts/test.sh) and comes back signed in:
// the provider's redirect back is a cross-site navigation, so this is where the cookies'
// SameSite attributes are really checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, shot, horizontalOverflow, collectErrors } from './browser.mjs';

const PROVIDER = process.env.PANEL_OIDC_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function nextLogin(account) {
  const res = await fetch(PROVIDER + '/__test/next-login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  assert.equal(res.status, 204);
}

test('the provider button signs in and makes an administrator from the claim; at 360 px', { skip: !PROVIDER && 'no provider (scripts/test.sh starts one)' }, async () => {
  await nextLogin({
    sub: 'browser-sub',
    preferred_username: 'Sam Single',
    email: 'sam@example.test',
    email_verified: true,
    groups: ['panel-admins'],
  });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);

  await page.goto(BASE + '/login');
  const button = page.locator('[data-testid=sso-button]');
  await button.waitFor();
  assert.equal((await button.textContent()).trim(), 'Sign in with Test IdP');
  // passwords are still taken beside it
  assert.equal(await page.locator('#password').count(), 1);
  assert.equal(await horizontalOverflow(page), 0, "no sideways scrolling at 360 px");
  await shot(page, 'sso-login-360');

  await button.click();
  await page.waitForSelector('[data-testid=dashboard]', { timeout: 30000 });
  assert.equal((await page.textContent('[data-testid=current-user]')).trim(), 'Sam-Single');
  assert.equal(new URL(page.url()).origin, new URL(BASE).origin);
  const cookies = await context.cookies(BASE);
  const session = cookies.find((c) => c.name === 'panel_session');
  assert.ok(session, 'a session');
  assert.equal(session.sameSite, 'Strict');
  assert.ok(!cookies.some((c) => c.name === 'panel_sso'), 'the state cookie is cleared');
  // the claim made an administrator: the Users page is there
  await page.goto(BASE + '/users');
  const card = page.locator('[data-testid=user][data-name="Sam-Single"]');
  await card.waitFor();
  assert.equal(await card.locator('[data-testid=user-linked]').count(), 1, 'shown as signing in through the provider');
  assert.equal(await card.locator('[data-testid=user-email]').inputValue(), 'sam@example.test');
  await shot(page, 'sso-users-360');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a failed sign-in says why on the sign-in page', { skip: !PROVIDER && 'no provider' }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // an answer whose state the panel never gave (a replay, or a link from elsewhere)
  await page.goto(BASE + '/auth/sso/callback?code=abc&state=not-ours');
  await page.waitForSelector('.banner-error');
  assert.match(page.url(), /\/login\?sso=stale$/);
  assert.match(await page.textContent('.banner-error'), /already used or took too long/);
  await shot(page, 'sso-failed-1280');
  await context.close();
});

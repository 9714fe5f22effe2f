// Sharing: the admin (owner) invites a member with console.read only; the member sees the
// console but no input box and no power buttons, and a forced API call is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, call, createServer, launch, shot, horizontalOverflow, signIn, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const MEMBER_PASSWORD = 'a member password';

test('a member with console.read watches but cannot type or control', async (t) => {
  if (!process.env.PANEL_BIN) {
    t.skip('PANEL_BIN is not set (scripts/test.sh sets it)');
    return;
  }
  // a plain user, made with the panel's command line
  execFileSync(process.env.PANEL_BIN, ['admin', 'create', '--username', 'member1', '--plain'], {
    input: MEMBER_PASSWORD + '\n', env: process.env,
  });

  const owner = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await owner.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-shared');

  // The owner adds member1 with console.read only (the form's default)
  await page.goto(`${BASE}/servers/${id}`);
  await page.waitForSelector('[data-testid=member-form]');
  await page.fill('[data-testid=member-username]', 'member1');
  assert.equal(await page.isChecked('[data-testid="perm-console.read"]'), true);
  assert.equal(await page.isChecked('[data-testid="perm-console.write"]'), false);
  await page.click('[data-testid=member-save]');
  await page.waitForSelector('[data-testid=member][data-name=member1]');
  await page.$eval('[data-testid=members]', (el) => el.scrollIntoView());
  await shot(page, 'members-1280');

  // member1 signs in and opens the server
  const member = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const mpage = await member.newPage();
  collectErrors(mpage, errors);
  await mpage.goto(BASE + '/login');
  await mpage.waitForSelector('[data-testid=login-form]');
  await mpage.fill('#username', 'member1');
  await mpage.fill('#password', MEMBER_PASSWORD);
  await mpage.click('button[type=submit]');
  await mpage.waitForSelector('[data-testid=dashboard]');
  await mpage.goto(`${BASE}/servers/${id}`);
  await mpage.waitForSelector('[data-testid=console-readonly]');
  await mpage.waitForFunction(() => document.querySelector('[data-testid=console-output]')?.textContent.includes('Done ('), null, { timeout: 60000 });
  assert.equal(await mpage.$('[data-testid=console-command]'), null, 'no input box');
  assert.equal((await mpage.$$('[data-testid^=power-]')).length, 0, 'no power buttons');
  assert.equal(await mpage.$('[data-testid=open-files]'), null, 'no files without files.read');
  assert.equal(await mpage.$('[data-testid=settings]'), null, 'no settings');
  assert.equal(await mpage.$('[data-testid=members]'), null, 'no members');
  assert.equal(await horizontalOverflow(mpage), 0);
  await shot(mpage, 'member-console-360');

  // A forced API call is refused, and says why
  const forced = await call(mpage, 'server_power', { id, action: 'stop' });
  assert.equal(forced.status, 403);
  assert.match(forced.body.message, /control\.stop/);

  assert.deepEqual(errors, [], 'no page errors');
  await call(page, 'server_delete', { id, keep_world: false });
  await member.close();
  await owner.close();
});

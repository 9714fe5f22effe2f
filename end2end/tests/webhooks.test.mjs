// Webhooks in a real Chromium: a server's page adds one pointing at a receiver on loopback
// (scripts/test.sh lets the panel reach it), shows its secret once, sends a test, and its log
// says the receiver took it; the receiver checks the signature with that secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { BASE, launch, shot, horizontalOverflow, collectErrors, signIn, createServer, call } from './browser.mjs';

let browser;
let receiver;
const got = [];
before(async () => {
  browser = await launch();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { got.push({ headers: req.headers, body }); res.writeHead(204).end(); });
  });
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
});
after(async () => { await browser?.close(); receiver?.close(); });

test('a server page adds a webhook, tests it and shows its deliveries; at 360 px', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'hooked');
  await page.goto(`${BASE}/servers/${id}#webhooks`);
  const card = page.locator('[data-testid=webhooks]');
  await card.waitFor();

  await card.locator('[data-testid=webhook-name]').fill('Ops');
  await card.locator('[data-testid=webhook-url]').fill(`http://127.0.0.1:${receiver.address().port}/hook`);
  await card.locator('input[type=checkbox]').first().uncheck(); // signed JSON, not Discord
  await card.locator('button[type=submit]').click();
  const secret = (await card.locator('[data-testid=webhook-secret] code.secret').textContent()).trim();
  assert.match(secret, /^whsec_[0-9a-f]{48}$/);
  const hook = card.locator('[data-testid=webhook][data-name=Ops]');
  await hook.waitFor();
  assert.match(await hook.textContent(), /signed JSON/);

  await hook.locator('[data-testid=webhook-test]').click();
  for (let i = 0; i < 100 && !got.length; i++) await page.waitForTimeout(100);
  assert.equal(got.length, 1, 'the receiver got the test');
  const { headers, body } = got[0];
  assert.equal(headers['x-panel-event'], 'webhook.test');
  const want = 'sha256=' + crypto.createHmac('sha256', secret)
    .update(`${headers['x-panel-timestamp']}.${body}`).digest('hex');
  assert.equal(headers['x-panel-signature'], want, 'signed with the secret shown');
  assert.equal(JSON.parse(body).server.name, 'hooked');

  // the log says it was delivered
  const log = hook.locator('[data-testid=webhook-deliveries]');
  for (let i = 0; i < 20; i++) {
    await log.locator('button').first().click();
    if (await log.locator('[data-testid=delivery][data-state=delivered]').count()) break;
    await page.waitForTimeout(300);
  }
  assert.equal(await log.locator('[data-testid=delivery][data-state=delivered]').count(), 1);
  assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 360 px');
  await hook.scrollIntoViewIfNeeded();
  await shot(page, 'webhooks-360', { fullPage: false });
  assert.deepEqual(errors, []);
  assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
  await context.close();
});

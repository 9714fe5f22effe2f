// The API reference page: the panel's own OpenAPI document shown in the app (nothing from
// elsewhere), every endpoint listed and findable, readable at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, shot, horizontalOverflow, collectErrors, signIn } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the API reference lists every endpoint of the document; at 360 and 1280 px', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(BASE)) outside.push(r.url()); });
  await signIn(page);

  // reached from the Account page's tokens
  await page.goto(BASE + '/account');
  await page.click('[data-testid=api-reference-link]');
  await page.waitForSelector('[data-testid=api-endpoint]');
  const doc = await (await fetch(BASE + '/api/openapi.json')).json();
  const documented = Object.keys(doc.paths).length;
  assert.ok(documented > 60);
  assert.equal(await page.locator('[data-testid=api-endpoint]').count(), documented);

  // find one, open it: its arguments and answer
  await page.fill('[data-testid=api-filter]', 'login');
  const login = page.locator('[data-testid=api-endpoint][data-path="/api/login"]');
  await login.locator('summary').click();
  const text = await login.textContent();
  assert.match(text, /POST \/api\/login/);
  assert.match(text, /username/);
  assert.match(text, /code.*optional/s);
  assert.match(text, /Answer: object/);
  assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 360 px');
  await shot(page, 'api-reference-360');

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.fill('[data-testid=api-filter]', 'server_create');
  await page.locator('[data-testid=api-endpoint][data-path="/api/server_create"] summary').click();
  await shot(page, 'api-reference-1280');
  assert.deepEqual(outside, [], 'nothing from another origin');
  assert.deepEqual(errors, []);
  await context.close();
});

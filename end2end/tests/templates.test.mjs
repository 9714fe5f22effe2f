// Templates as an administrator: export one, edit it into a new template, import it, delete it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, shot, horizontalOverflow, signIn, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('export, edit and import a template, then delete it', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  // at 360 px, Templates is reached through Users
  await page.click('[data-testid=nav-users]');
  await page.click('[data-testid=users] a[href="/templates"]');
  await page.waitForSelector('[data-testid=template-row]');
  const before = await page.$$eval('[data-testid=template-row]', (rows) => rows.length);

  // A document that is not a template is refused with the reason.
  await page.fill('[data-testid=import-json]', '{"name": "x"}');
  await page.click('[data-testid=import] button[type=submit]');
  await page.waitForSelector('[data-testid=templates-banner].banner-error');

  // Export Paper, edit it as a new one, import.
  const paper = page.locator('[data-testid=template-row]', { hasText: 'paper' }).first();
  await paper.locator('text=Export').click();
  await page.waitForSelector('[data-testid=export] textarea');
  await page.click('text=Edit as a new template');
  const json = JSON.parse(await page.inputValue('[data-testid=import-json]'));
  json.name = 'Paper (browser)';
  json.spec.slug = 'paper-browser';
  await page.fill('[data-testid=import-json]', JSON.stringify(json, null, 2));
  await page.click('[data-testid=import] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=templates-banner]')?.textContent.includes('Imported'));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=template-row]').length === n + 1, before);
  assert.equal(await horizontalOverflow(page), 0, 'templates page scrolls sideways at 360 px');
  await shot(page, 'templates-360');

  // Delete it, with confirmation.
  const mine = page.locator('[data-testid=template-row]', { hasText: 'paper-browser' });
  await mine.locator('text=Delete…').click();
  await mine.locator('button:text-is("Delete")').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=template-row]').length === n, before);
  assert.deepEqual(errors, []);
  await context.close();
});

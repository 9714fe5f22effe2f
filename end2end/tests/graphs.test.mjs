// The graphs in a real Chromium: a running server's CPU, memory and players drawn on its page
// from the panel's own samples (scripts/test.sh samples every 2 s), and the panel's sum on the
// administrator's dashboard; at 360 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, shot, horizontalOverflow, collectErrors, signIn, createServer, waitFiles, call } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a running server is graphed on its page and the dashboard; at 360 px', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  const outside = [];
  page.on('request', (r) => { if (!r.url().startsWith(BASE)) outside.push(r.url()); });
  await signIn(page);
  const id = await createServer(page, 'graphed');
  await waitFiles(page, id);
  await page.waitForTimeout(7000); // a few rounds of samples
  await page.goto(`${BASE}/servers/${id}#graphs`);
  const graphs = page.locator('#graphs [data-testid=graphs]');
  await graphs.locator('[data-testid=graph]').first().waitFor();
  assert.equal(await graphs.locator('[data-testid=graph]').count(), 3);
  const memory = graphs.locator('[data-testid=graph][data-title=Memory]');
  assert.ok(await memory.locator('polyline').count() >= 1, 'a line');
  assert.match(await memory.textContent(), /now \d+ MiB/);
  // players come from the ping (every 10 s): wait for a round that has them
  const players = graphs.locator('[data-testid=graph][data-title=Players]');
  for (let i = 0; i < 20 && !/now 0/.test(await players.textContent()); i++) {
    await page.waitForTimeout(2000);
    await page.selectOption('[data-testid=graph-hours]', i % 2 ? '6' : '1');
    await players.waitFor();
  }
  assert.match(await players.textContent(), /now 0/);
  assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 360 px');
  await graphs.scrollIntoViewIfNeeded();
  await shot(page, 'graphs-360', { fullPage: false });

  // the administrator's dashboard sums every server
  await page.goto(BASE + '/');
  const panel = page.locator('[data-testid=dashboard] ~ section [data-testid=graphs], [data-testid=graphs]');
  await panel.locator('[data-testid=graph]').first().waitFor();
  assert.equal(await panel.locator('[data-testid=graph]').count(), 3);
  assert.deepEqual(outside, [], 'nothing from another origin');
  assert.deepEqual(errors, []);
  // the tests after this one count on a dashboard of their own servers
  assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
  await context.close();
});

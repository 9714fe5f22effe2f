// Schedules in the browser: make one from a server's page (a console line, then a file's
// deletion after a wait), run it now and watch each task's outcome come in, change it, delete
// it, at 1280 and 360 px; a cron the panel cannot read is refused with the reason in the form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, createServer, launch, shot, horizontalOverflow, signIn, waitFiles, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('make a schedule, run it now, change and delete it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-schedules');
  await waitFiles(page, id);
  await call(page, 'file_write', { id, path: '/old.log', content: 'old' });

  await page.goto(`${BASE}/servers/${id}#schedules`);
  await page.waitForSelector('[data-testid=schedules] >> text=No schedules yet');
  await page.click('[data-testid=schedule-new]');
  await page.fill('[data-testid=schedule-name]', 'Tidy up');
  await page.fill('[data-testid=schedule-zone]', 'Europe/Berlin');
  // a cron of four fields is refused, with the reason, and nothing is saved
  await page.fill('[data-testid=schedule-cron]', '0 4 * *');
  await page.fill('[data-testid=task-text]', 'say tidying up');
  await page.click('[data-testid=schedule-save]');
  await page.waitForSelector('[data-testid=schedule-message] >> text=five fields');
  await page.fill('[data-testid=schedule-cron]', '30 3 * * *');
  await page.click('[data-testid=task-add]');
  const second = page.locator('[data-testid=task]').nth(1);
  await second.locator('[data-testid=task-kind]').selectOption('delete_files');
  await second.locator('[data-testid=task-text]').fill('/old.log');
  await second.locator('[data-testid=task-offset]').fill('1');
  await shot(page, 'schedules-form-1280');
  await page.click('[data-testid=schedule-save]');
  await page.waitForSelector('[data-testid=schedule] >> text=Tidy up');
  assert.match(await page.textContent('[data-testid=schedule-next]'), /^Next: /);

  // run it now: both tasks succeed and the file is gone
  await page.click('[data-testid=schedule-run]');
  await page.waitForSelector('[data-testid=run] [data-testid=run-state] >> text=done', { timeout: 60_000 });
  const run = await page.textContent('[data-testid=run]');
  assert.match(run, /✓ task 1/);
  assert.match(run, /✓ task 2: deleted \/old.log/);
  const listing = await call(page, 'files_list', { id, path: '/' });
  assert.ok(!listing.body.entries.some((e) => e.name === 'old.log'));
  await shot(page, 'schedules-1280');

  // pause it: no next run
  await page.click('[data-testid=schedule-edit]');
  await page.uncheck('[data-testid=schedule-active]');
  await page.click('[data-testid=schedule-save]');
  await page.waitForSelector('[data-testid=schedule-next] >> text=Paused');

  // a phone sees the same, without sideways scrolling, the form too
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${BASE}/servers/${id}#schedules`);
  await page.waitForSelector('[data-testid=schedule]');
  await page.click('[data-testid=schedule-edit]');
  await page.waitForSelector('[data-testid=schedule-form]');
  assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 360 px');
  await shot(page, 'schedules-360');
  await page.click('[data-testid=schedule-delete]');
  await page.click('[data-testid=schedule-confirm-yes]');
  await page.waitForSelector('[data-testid=schedules] >> text=No schedules yet');
  assert.deepEqual(errors, []);
  await call(page, 'server_delete', { id, keep_world: false });
  await context.close();
});

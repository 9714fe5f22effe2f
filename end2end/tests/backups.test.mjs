// Backups in the browser: back a running server up from its page, watch it finish, restore it
// onto an emptied world (the server stops and comes back), make a new server from it, at 1280
// and 360 px. The sandbox
// backs up with Debian's restic into a repository of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, createServer, launch, shot, horizontalOverflow, signIn, waitFiles, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('back a server up, then restore it onto an emptied world', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-backups');
  await waitFiles(page, id);
  await call(page, 'file_write', { id, path: '/keep.txt', content: 'kept by the backup' });

  await page.goto(`${BASE}/servers/${id}#backups`);
  await page.waitForSelector('[data-testid=backups] >> text=No backups yet.');
  await page.fill('[data-testid=backup-name]', 'before the update');
  await page.click('[data-testid=backup-create]');
  await page.waitForSelector('[data-testid=backup][data-state=done] >> text=before the update', { timeout: 90_000 });
  await shot(page, 'backups-1280');

  // something made after the backup goes with a wiping restore
  await call(page, 'file_write', { id, path: '/made-after.txt', content: 'gone after the restore' });
  await call(page, 'file_write', { id, path: '/keep.txt', content: 'griefed' });
  await page.click('[data-testid=backup-restore]');
  await page.check('[data-testid=restore-wipe]');
  await shot(page, 'backups-restore-confirm-1280');
  await page.click('[data-testid=backup-confirm-yes]');
  await page.waitForSelector('[data-testid=restore-status] >> text=Restored.', { timeout: 120_000 });
  await waitFiles(page, id);
  const kept = await call(page, 'file_read', { id, path: '/keep.txt' });
  assert.equal(kept.body.content, 'kept by the backup');
  const listing = await call(page, 'files_list', { id, path: '/' });
  assert.ok(!listing.body.entries.some((e) => e.name === 'made-after.txt'), 'the wipe emptied the world first');

  // a new server from the backup: the page goes to it, and its world is the backup's
  await page.click('[data-testid=backup-copy]');
  await page.fill('[data-testid=copy-name]', 'e2e-backups-copy');
  await page.click('[data-testid=backup-confirm-yes]');
  await page.waitForURL((u) => u.pathname.startsWith('/servers/') && u.pathname !== `/servers/${id}`);
  const copyId = new URL(page.url()).pathname.split('/').pop();
  assert.notEqual(copyId, id);
  await page.waitForSelector('[data-testid=restore-status] >> text=Restored.', { timeout: 180_000 });
  await waitFiles(page, copyId);
  const copied = await call(page, 'file_read', { id: copyId, path: '/keep.txt' });
  assert.equal(copied.body.content, 'kept by the backup');
  await call(page, 'server_delete', { id: copyId, keep_world: false });

  // a phone sees the same, without sideways scrolling
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${BASE}/servers/${id}#backups`);
  await page.waitForSelector('[data-testid=backup][data-state=done]');
  assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 360 px');
  await shot(page, 'backups-360');
  assert.deepEqual(errors, []);
  await call(page, 'server_delete', { id, keep_world: false });
  await context.close();
});

// The file manager in the browser: edit server.properties in the structured editor, save,
// reopen and see the change (comments kept); save text with Ctrl-S; upload a file and
// download it back; every page at 360 px without sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, createServer, launch, shot, horizontalOverflow, signIn, waitFiles, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('edit server.properties in the form, upload and download a file', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);

  // A running server to work on
  const id = await createServer(page, 'e2e-files');
  await waitFiles(page, id);

  // The server page links to its files
  await page.goto(`${BASE}/servers/${id}`);
  await page.click('[data-testid=open-files]');
  await page.waitForSelector('[data-testid=file-row][data-name="server.properties"]');
  await shot(page, 'files-1280');

  // The structured editor: change two settings, save
  await page.click('[data-testid=file-row][data-name="server.properties"] .file-name');
  await page.waitForSelector('[data-testid=props-form]');
  await page.fill('[data-testid=prop-max-players]', '42');
  await page.press('[data-testid=prop-max-players]', 'Tab');
  await page.selectOption('[data-testid=prop-difficulty]', 'hard');
  await page.waitForSelector('.dirty');
  await shot(page, 'editor-properties-1280');
  await page.click('[data-testid=save]');
  await page.waitForSelector('.banner-ok:has-text("Saved")');

  // Reopen: the form shows the change, the text keeps the file's comments
  await page.reload();
  await page.waitForSelector('[data-testid=props-form]');
  assert.equal(await page.inputValue('[data-testid=prop-max-players]'), '42');
  assert.equal(await page.inputValue('[data-testid=prop-difficulty]'), 'hard');
  await page.click('[data-testid=tab-text]');
  const text = await page.inputValue('[data-testid=editor-text]');
  assert.match(text, /^max-players=42$/m);
  assert.match(text, /^difficulty=hard$/m);
  assert.match(text, /^#Minecraft server properties$/m, 'comments are kept');
  assert.ok(await page.$('.layer .hl-k'), 'the text is highlighted');
  await shot(page, 'editor-text-1280');

  // Ctrl-S saves the text
  await page.click('[data-testid=editor-text]');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n# saved with ctrl-s');
  await page.keyboard.press('Control+s');
  await page.waitForSelector('.banner-ok:has-text("Saved")');
  const saved = await call(page, 'file_read', { id, path: '/server.properties' });
  assert.match(saved.body.content, /# saved with ctrl-s/);

  await page.setViewportSize({ width: 360, height: 740 });
  assert.equal(await horizontalOverflow(page), 0, 'the editor scrolls sideways at 360 px');
  await shot(page, 'editor-text-360');
  await page.click('[data-testid=tab-form]');
  assert.equal(await horizontalOverflow(page), 0, 'the form scrolls sideways at 360 px');
  await shot(page, 'editor-properties-360');

  // Upload a binary file, see its progress end, download it back byte for byte
  await page.goto(`${BASE}/servers/${id}/files?path=/`);
  await page.waitForSelector('[data-testid=file-row]');
  const bytes = Buffer.alloc(3 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 11)) & 0xff;
  await page.setInputFiles('[data-testid=upload-input]', { name: 'hello world.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForSelector('[data-testid=uploads] .ok:has-text("Uploaded")', { timeout: 60000 });
  await page.waitForSelector('[data-testid=file-row][data-name="hello world.bin"]');
  assert.equal(await horizontalOverflow(page), 0, 'the file list scrolls sideways at 360 px');
  await shot(page, 'files-360');
  const res = await page.request.get(`${BASE}/api/servers/${id}/files/download?path=${encodeURIComponent('/hello world.bin')}`);
  assert.equal(res.status(), 200);
  assert.ok(Buffer.compare(await res.body(), bytes) === 0, 'downloaded byte for byte');

  // Delete it from the row's menu, with confirmation
  await page.click('[data-testid=file-row][data-name="hello world.bin"] [data-testid=row-menu]');
  await page.click('.menu .danger');
  await page.waitForSelector('[data-testid=file-dialog]');
  await page.click('[data-testid=dialog-ok]');
  await page.waitForSelector('[data-testid=file-row][data-name="hello world.bin"]', { state: 'detached' });

  // Stopped, its files are still there (a maintenance pod holds the world): edit one, start
  // the server, and the running server has the change
  assert.equal((await call(page, 'server_power', { id, action: 'stop' })).status, 200);
  for (let i = 0; i < 120; i++) {
    const s = await call(page, 'server', { id });
    if (s.body.status === 'stopped') break;
    await page.waitForTimeout(500);
  }
  await page.reload();
  await page.waitForSelector('[data-testid=file-row][data-name="server.properties"]', { timeout: 90000 });
  await shot(page, 'files-stopped-360');
  assert.equal((await call(page, 'file_write', { id, path: '/while-stopped.txt', content: 'edited while stopped' })).status, 200);
  assert.equal((await call(page, 'server_power', { id, action: 'start' })).status, 200);
  await waitFiles(page, id);
  for (let i = 0; i < 120; i++) {
    const s = await call(page, 'server', { id });
    if (s.body.status === 'running') break;
    await page.waitForTimeout(500);
  }
  const kept = await call(page, 'file_read', { id, path: '/while-stopped.txt' });
  assert.equal(kept.body.content, 'edited while stopped');

  assert.deepEqual(errors, [], 'no page errors');
  await call(page, 'server_delete', { id, keep_world: false });
  await context.close();
});

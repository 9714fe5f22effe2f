// A server whose template does not accept Mojang's EULA for its owner: the console says so
// plainly, once, and accepting it (stop, eula.txt, start) brings the server up. Then its icon:
// a picture becomes a 64×64 PNG in server-icon.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, call, createServer, launch, signIn, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the console asks for the EULA, accepting it starts the server, and an icon is set', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  // a copy of Vanilla that leaves the EULA to the owner
  const templates = (await call(page, 'templates', {})).body;
  const vanilla = templates.find((t) => t.slug === 'vanilla');
  const doc = (await call(page, 'template_export', { id: vanilla.id })).body;
  doc.name = 'Vanilla (own EULA)';
  doc.spec.slug = 'vanilla-own-eula';
  delete doc.spec.fixed_env.EULA;
  const imported = await call(page, 'template_import', { template: doc });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  const id = await createServer(page, 'e2e-eula', { template: 'vanilla-own-eula' });

  try {
  await page.goto(`${BASE}/servers/${id}`);
  await page.waitForSelector("[data-testid=console-hint] >> text=Mojang's EULA is not accepted for this server.", { timeout: 60000 });
  assert.equal(await page.locator('[data-testid=console-hint]').count(), 1, 'asked once');
  // (the hint is drawn again as console lines arrive: the locator waits for it)
  await page.locator('[data-testid=console-hint]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/eula-360.png`, fullPage: false });
  await page.click('[data-testid=eula-accept]');
  await page.waitForSelector('[data-testid=eula-accepted]', { timeout: 90000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.includes('running'), null, { timeout: 60000 });
  const eula = await call(page, 'file_read', { id, path: '/eula.txt' });
  assert.equal(eula.body.content, 'eula=true\n');

  // The icon: a 3×2 picture becomes a 64×64 PNG in server-icon.png, shown as players see it.
  const picture = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEklEQVR4nGP4zwAE/4GQAc4CADvYBfscV6LTAAAAAElFTkSuQmCC', 'base64');
  await page.setInputFiles('[data-testid=icon-file]', { name: 'logo.png', mimeType: 'image/png', buffer: picture });
  await page.waitForSelector('[data-testid=icon-message] >> text=Saved as server-icon.png');
  const size = await page.evaluate(async (id) => {
    const res = await fetch(`/api/servers/${id}/files/download?path=%2Fserver-icon.png`);
    const b = new DataView(await res.arrayBuffer());
    // the PNG signature, then IHDR's width and height
    return [b.getUint32(0), b.getUint32(16), b.getUint32(20)];
  }, id);
  assert.deepEqual(size, [0x89504e47, 64, 64]);
  await page.$eval('[data-testid=icon-form]', (el) => el.scrollIntoView());
  await page.screenshot({ path: `${SHOTS}/icon-360.png`, fullPage: false });
  assert.deepEqual(errors, []);
  } finally {
    // the next tests have the quota to themselves, whatever happened here
    await call(page, 'server_delete', { id, keep_world: false });
    await call(page, 'template_delete', { id: imported.body.id });
  }
  await context.close();
});

// Installable: the manifest is linked and valid with its icons, the service worker registers
// and controls the page, Chromium finds the app installable, the shell loads with the network
// cut (with the offline notice), API responses are never cached, and a new build replaces the
// old one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { BASE, launch, shot, horizontalOverflow, collectErrors } from './browser.mjs';

// A persistent profile, as an installed browser has: Chromium never offers to install from an
// incognito context, which is what a plain Playwright context is.
const profile = mkdtempSync(join(tmpdir(), 'panel-pwa-'));
after(() => rmSync(profile, { recursive: true, force: true }));

function pngSize(buf) {
  assert.equal(buf.subarray(1, 4).toString(), 'PNG');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

test('manifest, service worker, installability and the offline shell', async () => {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 360, height: 740 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await page.goto(BASE + '/');

  // The manifest and its icons
  const href = await page.getAttribute('link[rel=manifest]', 'href');
  const manifest = await (await page.request.get(BASE + href)).json();
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/');
  assert.ok(manifest.name && manifest.short_name && manifest.theme_color && manifest.background_color);
  const sizes = {};
  for (const icon of manifest.icons) {
    const res = await page.request.get(BASE + icon.src);
    assert.equal(res.headers()['content-type'], 'image/png', icon.src);
    const [w, h] = pngSize(await res.body());
    assert.equal(`${w}x${h}`, icon.sizes, icon.src);
    sizes[`${icon.sizes} ${icon.purpose}`] = true;
  }
  assert.ok(sizes['192x192 any'] && sizes['512x512 any'] && sizes['512x512 maskable']);

  // The service worker takes control
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });

  // The shell comes from the cache with the network cut, and says it is offline
  await page.waitForSelector('[data-testid=login-form], [data-testid=setup-form], [data-testid=dashboard]');
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#offline-bar');
  // the wasm came from the cache: the app mounted (and removed the static shell)
  await page.waitForSelector('#boot', { state: 'detached' });
  await page.waitForSelector('main');
  // API calls fail with words a person understands, not the browser's "Failed to fetch"
  await page.waitForSelector('text=You are offline: this needs the network');
  assert.ok(!(await page.textContent('body')).includes('Failed to fetch'));
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'offline-360');
  // back online, the app checks again by itself
  await context.setOffline(false);
  await page.waitForSelector('#offline-bar', { state: 'detached' });
  await page.waitForSelector('text=You are offline: this needs the network', { state: 'detached' });

  // Nothing from the API is in the caches
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
    }
    return urls;
  });
  assert.ok(cached.some((u) => u.endsWith('.wasm')), `the wasm is precached: ${cached}`);
  assert.ok(!cached.some((u) => u.startsWith('/api/')), `no API response cached: ${cached}`);
  // Checked last: a CDP session on the page stops the offline emulation from applying
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], JSON.stringify(installabilityErrors));
  await cdp.detach();
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});

// A new build replaces the old one: a second panel (its own private Postgres and sandbox, so
// the shared one is untouched) serves a copy of the web app; the copy changes and that panel
// restarts, as a deployment would; the page offers the new version, takes it on "Reload", and
// only the new build's cache is left.
test('a new build is offered, taken on reload, and replaces the cache', async (t) => {
  if (!process.env.PANEL_BIN) {
    t.skip('PANEL_BIN is not set (scripts/test.sh sets it)');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'panel-update-'));
  chmodSync(work, 0o755); // the private Postgres runs as its own user and must reach its folder
  const dist = join(work, 'dist');
  cpSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist'), dist, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let panel = await startPanel(work, dist, port);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(url + '/');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    const before = await page.evaluate(() => caches.keys());
    assert.equal(before.length, 1, `one build cached: ${before}`);

    // the new build: a different index.html (new files would change the worker the same way)
    await stopPanel(panel);
    const index = join(dist, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<head>', '<head><meta name="panel-build" content="two">'));
    panel = await startPanel(work, dist, port);

    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForSelector('#update-bar', { timeout: 30000 });
    assert.match(await page.textContent('#update-bar'), /new version/);
    await shot(page, 'update-360');
    await Promise.all([page.waitForEvent('load'), page.click('#update-bar button')]);
    await page.waitForSelector('meta[name=panel-build][content=two]', { state: 'attached' });
    await page.waitForFunction(async (old) => {
      const names = await caches.keys();
      return names.length === 1 && names[0] !== old;
    }, before[0], { timeout: 15000 });
    assert.equal(await page.$('#update-bar'), null, 'no offer once updated');
  } finally {
    await browser.close();
    await stopPanel(panel);
    rmSync(work, { recursive: true, force: true });
  }
});

function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startPanel(work, dist, port) {
  const env = { ...process.env, PANEL_LISTEN: `127.0.0.1:${port}`, PANEL_METRICS_LISTEN: '127.0.0.1:0', PANEL_DATA_DIR: join(work, 'data'),
    PANEL_DIST_DIR: dist, PANEL_KUBE: 'sandbox', RUST_LOG: 'warn' };
  delete env.DATABASE_URL; // its own private Postgres
  const child = spawn(process.env.PANEL_BIN, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the second panel exited (${child.exitCode})`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return child;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill();
  throw new Error('the second panel did not become ready');
}

async function stopPanel(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

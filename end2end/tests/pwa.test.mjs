// Installable: the manifest is linked and valid with its icons, the service worker registers
// and controls the page, Chromium finds the app installable, the shell loads with the network
// cut (with the offline notice), and API responses are never cached.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BASE, shot, horizontalOverflow } from './browser.mjs';

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
  page.on('pageerror', (e) => errors.push(String(e)));
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
  assert.equal(await horizontalOverflow(page), 0);
  await shot(page, 'offline-360');
  await context.setOffline(false);
  await page.waitForSelector('#offline-bar', { state: 'detached' });

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

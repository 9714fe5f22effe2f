// First paint and time to interactive of the login page on loopback Chromium, cold (a fresh
// profile: nothing cached) and warm (the service worker's cache), with the bytes transferred.
//   PANEL_URL=http://127.0.0.1:8080 node end2end/bench/load.mjs [ROUNDS]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.PANEL_URL ?? 'http://127.0.0.1:8080';
const ROUNDS = Number(process.argv[2] ?? 5);
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function measure(page) {
  let bytes = 0;
  page.on('requestfinished', async (req) => {
    const res = await req.response();
    if (res && !res.fromServiceWorker()) bytes += (await req.sizes()).responseBodySize;
  });
  const t0 = Date.now();
  await page.goto(BASE + '/login');
  await page.waitForSelector('[data-testid=login-form], [data-testid=setup-form], [data-testid=dashboard]');
  const interactive = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
  return { fcp: Math.round(fcp), interactive, bytes };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cold = [];
const warm = [];
for (let i = 0; i < ROUNDS; i++) {
  const profile = mkdtempSync(join(tmpdir(), 'panel-load-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args });
  const page = ctx.pages()[0] ?? await ctx.newPage();
  cold.push(await measure(page));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const again = await ctx.newPage();
  warm.push(await measure(again));
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
}
for (const [name, xs] of [['cold', cold], ['warm (service worker cache)', warm]]) {
  console.log(`${name}: first contentful paint ${median(xs.map((x) => x.fcp))} ms, interactive ${median(xs.map((x) => x.interactive))} ms, ${median(xs.map((x) => x.bytes))} bytes over the network (median of ${xs.length})`);
}

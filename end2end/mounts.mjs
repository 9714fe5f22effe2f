// Loads the panel at PANEL_URL in Chromium and waits for the app to mount (its first-run or
// sign-in form): the check that a dist/ served from somewhere else (the image's root) works.
// Exits non-zero with the reason otherwise.
import { chromium } from 'playwright-core';

const url = process.env.PANEL_URL;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
// (a signed-out app's `me` answers 401, which the console reports as a failed resource)
page.on('console', (m) => {
  if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
});
try {
  await page.goto(url + '/');
  await page.waitForSelector('[data-testid=setup-form], [data-testid=login-form]', { timeout: 30000 });
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((r) => r.name.endsWith('.wasm')).map((r) => r.name));
  if (!wasm.length) throw new Error('no wasm was loaded');
  if (errors.length) throw new Error('errors on the page: ' + errors.join('; '));
  console.log(`mounted; ${wasm.length} wasm module(s) loaded`);
} catch (e) {
  console.error(`the page did not mount: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

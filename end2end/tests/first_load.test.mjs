// The first load stays lean: the bytes a phone fetches until the sign-in form answers, counted
// as gzip (what every browser accepts) and as Brotli (what most send for), and `robots.txt`
// answered as itself rather than with the app's page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { BASE, launch } from './browser.mjs';

/**
 * The budget of the first load, gzip bytes: 400 000. Today 240 475 (2026-12-06): the sign-in
 * page's module only, every other page a chunk of its own fetched on demand (scripts/web.sh).
 */
const BUDGET = Number(process.env.PANEL_FIRST_LOAD_BUDGET ?? 400_000);

/** Fetches `url` asking for one encoding; the bytes on the wire and the encoding answered. */
function fetchEncoded(url, encoding) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'] ?? 'identity', status: res.statusCode }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the first load until sign-in is interactive stays within its budget', async () => {
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const urls = new Set();
  page.on('request', (r) => {
    if (r.method() === 'GET' && r.url().startsWith(BASE)) urls.add(r.url());
  });
  await page.goto(BASE + '/login');
  await page.waitForSelector('[data-testid=login-form] input#username:not([disabled]), [data-testid=setup-form], [data-testid=dashboard]');
  await browser.close();

  let gzip = 0;
  let br = 0;
  const rows = [];
  for (const url of urls) {
    const g = await fetchEncoded(url, 'gzip');
    const b = await fetchEncoded(url, 'br, gzip');
    assert.equal(g.status, 200, url);
    gzip += g.bytes;
    br += b.bytes;
    rows.push(`${new URL(url).pathname} gzip ${g.bytes} (${g.encoding}) br ${b.bytes} (${b.encoding})`);
    if (/\.(wasm|js|css)$/.test(url)) {
      assert.equal(g.encoding, 'gzip', `${url} is served gzipped`);
      assert.equal(b.encoding, 'br', `${url} is served as Brotli to a browser that takes it`);
    }
  }
  console.log(`first load: ${urls.size} requests, ${gzip} B gzip, ${br} B Brotli\n  ${rows.join('\n  ')}`);
  assert.ok(urls.size >= 3, 'the page, the script and the wasm at least');
  assert.ok(gzip <= BUDGET, `the first load is ${gzip} B gzip, over the budget of ${BUDGET} B`);
});

test('robots.txt is a robots file that keeps crawlers out, not the app page', async () => {
  const res = await fetch(BASE + '/robots.txt');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  const body = await res.text();
  assert.match(body, /^User-agent: \*$/m);
  assert.match(body, /^Disallow: \/$/m);
  assert.doesNotMatch(body, /<html/i);
});

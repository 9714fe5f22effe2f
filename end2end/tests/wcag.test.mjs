// Every page passes axe-core's WCAG 2.1 A and AA rules, in the dark and the light theme, at
// 1280 and 360 px: signed out (sign-in) and as the administrator (dashboard, new server, a
// running server, its files, templates, account, users, activity).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { BASE, launch, signIn, createServer, waitFiles } from './browser.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The WCAG violations axe finds on the page as it is now, as readable lines. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    const node = (n) => {
      const c = n.any?.find((a) => a.data?.contrastRatio)?.data;
      return n.target.join(' ') + (c ? ` [${c.fgColor} on ${c.bgColor}: ${c.contrastRatio}]` : '');
    };
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map(node).slice(0, 5).join(', ')}`);
  }, RULES);
  return found;
}

for (const scheme of ['dark', 'light']) {
  test(`every page passes WCAG 2.1 AA (${scheme})`, { timeout: 180000 }, async () => {
    // axe is injected as a script: this context alone lets it past the panel's CSP
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme, bypassCSP: true });
    const page = await context.newPage();
    const failures = [];
    const check = async (name) => {
      for (const width of [1280, 360]) {
        await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
        for (const v of await violations(page)) failures.push(`${name} @${width}: ${v}`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    };

    await page.goto(BASE + '/login');
    await page.waitForSelector('[data-testid=login-form], [data-testid=setup-form], [data-testid=dashboard]');
    if (await page.$('[data-testid=login-form]')) await check('sign-in');

    await signIn(page);
    await check('dashboard');
    const id = await createServer(page, `a11y-${scheme}`);
    await waitFiles(page, id);
    const pages = [
      ['new server', '/servers/new', '[data-testid=new-server-form]'],
      ['server', `/servers/${id}`, '[data-testid=console-output]'],
      ['files', `/servers/${id}/files`, '[data-testid=new-folder]'],
      ['templates', '/templates', 'h1'],
      ['account', '/account', 'h1'],
      ['users', '/users', 'h1'],
      ['activity', '/audit', 'h1'],
    ];
    for (const [name, path, ready] of pages) {
      await page.goto(BASE + path);
      await page.waitForSelector(ready);
      await page.waitForTimeout(500);
      await check(name);
    }
    await page.evaluate(async (id) => {
      await fetch('/api/server_delete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, keep_world: false }) });
    }, id);
    await context.close();
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

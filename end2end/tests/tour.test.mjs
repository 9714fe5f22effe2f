// Every main page on a phone (360x740), in the dark and the light theme: nothing wider than the
// screen, the bottom tab bar there with thumb-sized targets and the current place marked, and
// nothing hidden under it. Screenshots: end2end/screenshots/tour-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, createServer, launch, shot, horizontalOverflow, signIn, waitFiles, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const colorScheme of ['dark', 'light']) {
  test(`every main page at 360 px (${colorScheme})`, async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors = [];
    collectErrors(page, errors);
    await signIn(page);
    const id = await createServer(page, `e2e-tour-${colorScheme}`);
    await waitFiles(page, id);

    const pages = [
      ['servers', '/', '[data-testid=dashboard]', 'nav-servers'],
      ['new-server', '/servers/new', 'form', 'nav-servers'],
      ['server', `/servers/${id}`, '[data-testid=server]', 'nav-servers'],
      ['files', `/servers/${id}/files?path=/`, '[data-testid=file-row]', 'nav-servers'],
      ['editor', `/servers/${id}/edit?path=%2Fserver.properties`, '.editor-head', 'nav-servers'],
      ['activity', '/audit', '[data-testid=audit]', 'nav-audit'],
      ['users', '/users', '[data-testid=users]', 'nav-users'],
      ['templates', '/templates', '[data-testid=template-row]', 'nav-templates'],
      ['account', '/account', 'main h1, main h2', 'nav-account'],
    ];
    for (const [name, path, ready, current] of pages) {
      await page.goto(BASE + path);
      await page.waitForSelector(ready);
      await page.waitForLoadState('networkidle').catch(() => {});
      assert.equal(await horizontalOverflow(page), 0, `${name} scrolls sideways at 360 px`);

      // the tab bar: at the bottom of the screen, every target at least 44 px high, the
      // current place marked (and only it)
      const nav = await page.evaluate(() => {
        const bar = document.querySelector('nav.nav').getBoundingClientRect();
        const items = [...document.querySelectorAll('nav.nav .nav-item')].map((a) => {
          const r = a.getBoundingClientRect();
          return { id: a.dataset.testid, h: r.height, w: r.width, current: a.getAttribute('aria-current') };
        });
        return { bottom: bar.bottom, items };
      });
      assert.equal(Math.round(nav.bottom), 740, `${name}: the tab bar sits at the bottom`);
      assert.equal(nav.items.length, 5, `${name}: an admin has five places`);
      for (const it of nav.items) assert.ok(it.h >= 44 && it.w >= 44, `${name}: ${it.id} is ${it.w}x${it.h}`);
      assert.deepEqual(nav.items.filter((i) => i.current === 'page').map((i) => i.id), [current], name);

      // scrolled to the end, the page's last element is above the tab bar, not under it
      const hidden = await page.evaluate(() => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        const bar = document.querySelector('nav.nav').getBoundingClientRect();
        const main = document.querySelector('main.page');
        const last = [...main.querySelectorAll('*')].filter((e) => e.getClientRects().length)
          .reduce((a, e) => (e.getBoundingClientRect().bottom > a ? e.getBoundingClientRect().bottom : a), 0);
        return last - bar.top;
      });
      assert.ok(hidden <= 0, `${name}: the end of the page is ${hidden}px under the tab bar`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot(page, `tour-${name}-${colorScheme}`, { fullPage: false });
    }

    // typing in the console: the tab bar steps aside for the keyboard
    await page.goto(`${BASE}/servers/${id}`);
    const input = page.locator('[data-testid=console-command]');
    if (await input.count()) {
      await input.focus();
      assert.equal(await page.isVisible('nav.nav'), false, 'the tab bar hides while typing a command');
      await input.blur();
      assert.equal(await page.isVisible('nav.nav'), true);
    }
    assert.deepEqual(errors, [], 'no page errors');
    assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
    await context.close();
  });
}


// Languages in a real Chromium: the browser's language by default, a choice on the Account page
// that holds across reloads and that the panel's own messages follow, dates and numbers from the
// browser's Intl; and the pseudo-locale
// run: every page in `en-XA`, where each piece of catalogue text is between ⟦ and ⟧, fails on
// any visible text that is neither from the catalogue nor the data the page shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, shot, horizontalOverflow, collectErrors, signIn, createServer, waitFiles, call } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const navText = (page) => page.locator('[data-testid=nav-servers] .nav-label').textContent();

test("the browser's language by default, the Account page's choice after; Intl formats", async () => {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  await page.locator('[data-testid=nav-servers]').waitFor();
  assert.equal(await navText(page), 'Server', 'German, as the browser asks');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');

  // dates through Intl in German (day.month.year) on the activity page
  const id = await createServer(page, 'sprachen');
  await page.goto(BASE + '/audit');
  const when = page.locator('[data-testid=audit-when]').first();
  await when.waitFor();
  assert.match(await when.textContent(), /\d{2}\.\d{2}\.\d{4}/, 'a German date');

  // the choice on the Account page: Spanish, at once and after a reload
  await page.goto(BASE + '/account');
  await page.selectOption('[data-testid=language]', 'es');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.equal(await navText(page), 'Servidores');
  assert.equal(await page.evaluate(() => localStorage.getItem('panel-language')), 'es');
  assert.equal(await horizontalOverflow(page), 0, 'no sideways scrolling at 360 px');
  await shot(page, 'account-language-es-360', { fullPage: false });
  await page.reload();
  await page.locator('[data-testid=nav-servers]').waitFor();
  assert.equal(await navText(page), 'Servidores', 'the choice holds');
  await page.goto(BASE + '/audit');
  await when.waitFor();
  assert.match(await when.textContent(), /\d{1,2} \S+ \d{4}/, 'a Spanish date (6 dic 2026)');

  // the panel's own messages follow the choice too (the cookie the app keeps it in)
  await page.goto(BASE + '/account');
  const form = page.locator('[data-testid=password-form]');
  await form.locator('input[autocomplete=current-password]').fill('not the password');
  await form.locator('input[autocomplete=new-password]').nth(0).fill('another very good password');
  await form.locator('input[autocomplete=new-password]').nth(1).fill('another very good password');
  await form.locator('button[type=submit]').click();
  await form.locator('[role=alert]').waitFor();
  assert.equal(await form.locator('[role=alert]').textContent(), 'La contraseña no es correcta.');

  // and the file manager's own checks: a name the panel's rules refuse, said in Spanish
  await waitFiles(page, id);
  await page.goto(`${BASE}/servers/${id}/files`);
  await page.click('[data-testid=new-folder]');
  await page.fill('[data-testid=dialog-input]', '..');
  await page.click('[data-testid=dialog-ok]');
  const refusal = page.locator('[data-testid=file-dialog] [role=alert]');
  await refusal.waitFor();
  assert.equal(await refusal.textContent(), '«..» no se puede usar como nombre.');

  // back to English for the tests after this one (they share nothing, but be tidy)
  await page.goto(BASE + '/account');
  await page.selectOption('[data-testid=language]', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await navText(page), 'Servers');
  assert.deepEqual(errors, []);
  assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
  await context.close();
});

/** The visible text of the page that is not the catalogue's (⟦…⟧) nor in `data`. */
async function foreignText(page, data) {
  return page.evaluate((data) => {
    const skip = 'code, pre, kbd, samp, textarea, svg, script, style, [data-testid=console-output], .console, .editor';
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      texts.push(n.textContent);
    }
    for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      if (input.checkVisibility()) texts.push(input.placeholder);
    }
    for (const option of document.querySelectorAll('select option')) {
      if (option.parentElement.closest('select').checkVisibility()) texts.push(option.textContent);
    }
    // what Intl writes in English (months, AM/PM, units) and data are not the catalogue's
    const intl = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|AM|PM|byte|bytes|kB|MB|GB|TB|B|KiB|MiB|GiB)\b|https?:\/\/\S+|mc-[0-9a-f]{32}/g;
    const sorted = [...new Set(data.flatMap((d) => (d.endsWith('.') ? [d, d.slice(0, -1)] : [d])))]
      .filter((d) => d.length >= 2).sort((a, b) => b.length - a.length);
    for (const t of texts) {
      let rest = t.replace(/⟦[^⟧]*⟧/g, ' ').replace(/https?:\/\/\S+/g, ' ');
      for (const d of sorted) rest = rest.split(d).join(' ');
      rest = rest.replace(intl, ' ');
      if (/\p{L}{2,}/u.test(rest)) found.push(t.trim());
    }
    return [...new Set(found)];
  }, data);
}

test('the pseudo-locale run: every page shows only catalogue text and data', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  // signed out: the sign-in page
  await page.goto(BASE + '/login?lang=en-XA');
  await page.locator('input[autocomplete=username]').waitFor();
  const problems = {};
  const info = ['Test IdP', 'English', 'Deutsch', 'Español'];
  const check = async (where, data) => {
    await page.waitForTimeout(600);
    const foreign = await foreignText(page, data);
    if (foreign.length) problems[where] = foreign;
  };
  await check('/login', info);

  await signIn(page);
  const id = await createServer(page, 'pseudo');
  await waitFiles(page, id);
  // the data the pages show: every string of the answers they are made from, the server's own
  // words among them (its error messages and the API document are English: not the app's)
  const data = [...info, 'admin', 'pseudo', 'Alex'];
  const strings = (v) => {
    if (typeof v === 'string') data.push(v);
    else if (Array.isArray(v)) v.forEach(strings);
    else if (v && typeof v === 'object') Object.values(v).forEach(strings);
  };
  for (const [endpoint, body] of [['templates', {}], ['plans', {}], ['users', {}], ['files_list', { id, path: '/' }],
    ['server', { id }], ['audit_log', {}], ['mods', { id }], ['servers', {}]]) {
    strings((await call(page, endpoint, body)).body);
  }
  // the API reference shows the API document's own words
  const documentWords = [];
  const collect = (v) => {
    if (typeof v === 'string') documentWords.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') { Object.keys(v).forEach((k) => documentWords.push(k)); Object.values(v).forEach(collect); }
  };
  collect(await (await page.request.get(BASE + '/api/openapi.json')).json());

  const pages = ['/', '/account', '/users', '/audit', '/templates', '/servers/new', `/servers/${id}`, `/servers/${id}/files`, '/api-reference', '/no-such-page'];
  for (const path of pages) {
    await page.goto(`${BASE}${path}${path.includes('?') ? '&' : '?'}lang=en-XA`);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en-XA', path);
    await check(path, path === '/api-reference' ? [...data, ...documentWords] : data);
  }
  await page.goto(`${BASE}/servers/${id}?lang=en-XA`);
  await page.waitForLoadState('networkidle');
  await shot(page, 'pseudo-locale-server-1280');
  assert.deepEqual(problems, {}, 'text that is not in the catalogue');
  assert.deepEqual(errors, []);
  assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
  await context.close();
});

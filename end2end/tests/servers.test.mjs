// Create a server in the UI and watch it reach Running on the sandbox cluster, then stop it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, launch, shot, horizontalOverflow, signIn, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('create a server in the UI and see it reach running', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);

  await page.click('[data-testid=new-server]');
  await page.waitForSelector('[data-testid=new-server-form]');
  await page.fill('#name', 'Bad Name');
  await page.click('button[type=submit]');
  await page.waitForSelector('.banner-error');
  assert.match(await page.textContent('.banner-error'), /lowercase letters/);

  await page.fill('#name', 'e2e-world');
  await page.check('input[name=template][value=paper]');
  await page.fill('#var-MOTD', 'Hello from the browser');
  // Settings read as a player would: names for people, a list of choices, a toggle, a range.
  assert.match(await page.textContent('label[for=var-DIFFICULTY]'), /^Difficulty \* DIFFICULTY$/);
  await page.selectOption('#var-DIFFICULTY', 'hard');
  assert.equal(await page.getAttribute('#var-ONLINE_MODE', 'type'), 'checkbox');
  assert.equal(await page.getAttribute('#var-MAX_PLAYERS', 'max'), '1000');
  await page.fill('#var-MAX_PLAYERS', '5000');
  await page.waitForSelector('text=Most players online must be a whole number from 1 to 1000.');
  await page.fill('#var-MAX_PLAYERS', '12');
  await shot(page, 'new-server-1280');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=server]');
  assert.match(await page.textContent('.server-title'), /e2e-world/);
  // The join address: the sandbox's host and the server's node port, with a copy button.
  const address = await page.textContent('[data-testid=join-address]');
  assert.match(address, /^127\.0\.0\.1:(3[0-2]\d{3})$/, 'the join address is host:port');
  await page.click('[data-testid=join-copy]');
  await page.waitForSelector('[data-testid=join-copy]:has-text("Copied")');
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.includes('running'), null, { timeout: 60000 });
  await shot(page, 'server-running-1280');

  // The console: the history at once, then a command's echo, in colour.
  const out = '[data-testid=console-output]';
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('Done ('), out, { timeout: 30000 });
  await page.fill('[data-testid=console-command]', 'say hello');
  await page.press('[data-testid=console-command]', 'Enter');
  const echo = await page.waitForSelector(`${out} span.fg13:has-text("[Server] hello")`, { timeout: 30000 });
  const colour = await echo.evaluate((el) => getComputedStyle(el).color);
  const plain = await page.$eval(out, (el) => getComputedStyle(el).color);
  assert.notEqual(colour, plain, 'the echo keeps its colour');
  assert.equal(await page.inputValue('[data-testid=console-command]'), '', 'the input clears');
  await page.press('[data-testid=console-command]', 'ArrowUp');
  assert.equal(await page.inputValue('[data-testid=console-command]'), 'say hello', 'arrow up recalls it');
  await page.fill('[data-testid=console-command]', '');
  await shot(page, 'console-1280');

  // Who is online: the panel asks the server (Server List Ping); a simulated player joins
  // (mcsim's own console command) and shows on the Players card and the dashboard's card.
  await page.waitForSelector('[data-testid=players]', { timeout: 30000 });
  assert.match(await page.textContent('[data-testid=players]'), /^0 \/ \d+ players online/);
  await page.fill('[data-testid=console-command]', 'sim join Alex');
  await page.press('[data-testid=console-command]', 'Enter');
  await page.waitForSelector('[data-testid=players-names] li:has-text("Alex")', { timeout: 30000 });
  assert.equal(await page.textContent('[data-testid=players-online]'), '1');
  assert.match(await page.textContent('[data-testid=players-about]'), /Hello from the browser · 1\.21\.4 · answered in \d+ ms/);
  await shot(page, 'server-players-1280');
  await page.goto(BASE + '/');
  // the card's count follows the panel's next ping round (every 10 s), pushed to the page
  // this server's card (other tests' servers may be listed before it)
  const card = page.locator('[data-testid=server-card]', { hasText: 'e2e-world' });
  await card.locator('[data-testid=card-players]').filter({ hasText: /^1 \/ \d+ online$/ }).waitFor({ timeout: 30000 });
  await card.click();
  await page.waitForSelector('[data-testid=console-command]');

  await page.setViewportSize({ width: 360, height: 740 });
  assert.equal(await horizontalOverflow(page), 0, 'server page scrolls sideways at 360 px');
  await shot(page, 'server-running-360');
  await page.$eval('[data-testid=console]', (el) => el.scrollIntoView());
  await page.screenshot({ path: `${SHOTS}/console-360.png` });

  // Settings while running wait for the next start; typing survives the page's live refresh.
  // The values chosen at creation are there; the message of the day shows as players see it.
  await page.waitForSelector('#set-MOTD');
  assert.equal(await page.inputValue('#set-DIFFICULTY'), 'hard');
  assert.equal(await page.inputValue('#set-MAX_PLAYERS'), '12');
  await page.fill('#set-MOTD', '§6Changed §lin the browser');
  const runs = await page.$$eval('[data-testid=settings] [data-testid=motd-preview] span',
    (els) => els.map((el) => [el.textContent, getComputedStyle(el).color, getComputedStyle(el).fontWeight]));
  assert.deepEqual(runs, [['Changed ', 'rgb(255, 170, 0)', '400'], ['in the browser', 'rgb(255, 170, 0)', '700']]);
  // the version offers the releases of the server's type (Paper's list), and going back warns
  await page.waitForSelector('#set-VERSION-list option[value="1.21.4"]', { state: 'attached' });
  assert.ok(!(await page.$('#set-VERSION-list option[value="1.21.4-rc1"]')), 'releases only');
  await page.fill('#set-VERSION', '1.20.6');
  await page.waitForSelector('[data-testid=version-downgrade] >> text=Going back from LATEST to 1.20.6');
  await page.$eval('[data-testid=settings]', (el) => el.scrollIntoView());
  await page.screenshot({ path: `${SHOTS}/settings-360.png` });
  await page.fill('#set-VERSION', 'LATEST');
  assert.equal(await page.$('[data-testid=version-downgrade]'), null);
  await page.waitForTimeout(2500);
  assert.equal(await page.inputValue('#set-MOTD'), '§6Changed §lin the browser');
  await page.click('[data-testid=save-settings]');
  await page.waitForSelector('[data-testid=settings] .banner-ok');
  assert.match(await page.textContent('[data-testid=settings] .banner-ok'), /next start or restart/);

  // A larger plan while running: the disk grows now, CPU and memory at the next start.
  const medium = await page.$eval('#plan-select', (s) => [...s.options].find((o) => o.text.includes('Medium')).value);
  await page.selectOption('#plan-select', medium);
  await page.click('[data-testid=save-plan]');
  await page.waitForSelector('[data-testid=plan-form] .banner-ok');
  assert.match(await page.textContent('[data-testid=plan-form] .banner-ok'), /next start or restart/);

  // Stopping asks first
  await page.click('[data-testid=power-stop]');
  await page.waitForSelector('[data-testid=power-confirm]');
  assert.match(await page.textContent('[data-testid=power-confirm]'), /Players are disconnected/);
  await page.click('[data-testid=power-confirm-yes]');
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.includes('stopped'), null, { timeout: 60000 });

  // Stopped, it changes type (Paper to Purpur): the page comes back with the new type chosen
  await page.waitForFunction(() => !document.querySelector('[data-testid=type-form]')?.textContent.includes('Stop the server'));
  // a type that needs a value this server lacks asks for it (a modpack's pack)
  const pack = await page.$eval('#type-select', (s) => [...s.options].find((o) => o.text === 'Modrinth modpack').value);
  await page.selectOption('#type-select', pack);
  await page.waitForSelector('[data-testid=type-var-MODRINTH_MODPACK]');
  await page.$eval('[data-testid=type-form]', (el) => el.scrollIntoView());
  await shot(page, 'server-type-needs', { fullPage: false });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.$eval('[data-testid=type-form]', (el) => el.scrollIntoView());
  await shot(page, 'server-type-needs-1280', { fullPage: false });
  await page.setViewportSize({ width: 360, height: 740 });
  const purpur = await page.$eval('#type-select', (s) => [...s.options].find((o) => o.text === 'Purpur').value);
  await page.selectOption('#type-select', purpur);
  await page.waitForSelector('[data-testid=type-var-MODRINTH_MODPACK]', { state: 'detached' });
  await page.$eval('[data-testid=type-form]', (el) => el.scrollIntoView());
  await shot(page, 'server-type', { fullPage: false });
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=save-type]')]);
  await page.waitForFunction((v) => document.querySelector('#type-select')?.value === v, purpur, { timeout: 30000 });
  assert.equal(await page.isDisabled('[data-testid=save-type]'), true, 'its own type is not offered again');

  await page.goto(BASE + '/');
  await page.waitForSelector('[data-testid=server-card]');
  assert.match(await page.textContent('[data-testid=server-card]'), /e2e-world/);
  assert.match(await page.textContent('[data-testid=server-card] [data-testid=join-address]'), /^127\.0\.0\.1:3\d{4}$/, 'the card shows where to join');
  assert.equal(await horizontalOverflow(page), 0, 'dashboard scrolls sideways at 360 px');
  await shot(page, 'dashboard-servers-360');

  // Delete with confirmation (the confirmation stays through the live refresh).
  await page.click('[data-testid=server-card]');
  await page.waitForSelector('[data-testid=server]');
  await page.click('text=Delete server…');
  await page.waitForTimeout(2500);
  await page.click('[data-testid=confirm-delete]');
  await page.waitForSelector('[data-testid=dashboard]');
  await page.waitForFunction(() => document.body.textContent.includes('No servers yet'));
  // The world was kept (the default): listed, then deleted for good after a second click
  await page.waitForSelector('[data-testid=kept-world][data-name=e2e-world]');
  assert.equal(await horizontalOverflow(page), 0, 'kept worlds scroll sideways at 360 px');
  await shot(page, 'dashboard-kept-world-360');
  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, 'dashboard-kept-world-1280');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.click('[data-testid=kept-world-delete]');
  await page.click('[data-testid=kept-world-delete-confirm]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=kept-worlds]'));
  assert.deepEqual(errors, []);
  await context.close();
});

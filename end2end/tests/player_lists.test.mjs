// Who may play, in the browser at 360 px: add a player to the whitelist, turn it on, ban one
// with a reason, see a bad name refused in the form, kick a player who is online, pardon.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, call, createServer, launch, horizontalOverflow, signIn, waitFiles, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('manage the whitelist, operators and bans of a running server on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-players');
  await waitFiles(page, id);

  await page.goto(`${BASE}/servers/${id}#players`);
  const lists = '[data-testid=player-manager]';
  await page.waitForSelector(`${lists} >> text=Changes go through the console and apply at once.`);
  assert.equal(await page.textContent('[data-testid=whitelist] + p'), 'Nobody yet.');

  await page.fill('[data-testid=player-name]', 'Alex');
  await page.click('[data-testid=player-whitelist]');
  await page.waitForSelector('[data-testid=player-message] >> text=Added Alex to the whitelist.');
  assert.match(await page.textContent('[data-testid=whitelist]'), /Alex/);
  assert.equal(await page.inputValue('[data-testid=player-name]'), '', 'the form clears');

  // a name Minecraft would not take is refused in the form, and nothing is sent
  await page.fill('[data-testid=player-name]', 'Bad Name!');
  await page.waitForSelector(`${lists} .error >> text=A player name is 1 to 16 letters, digits or underscores.`);
  await page.click('[data-testid=player-ban]');
  await page.waitForSelector('[data-testid=player-message].banner-error');
  assert.equal(await page.$$eval('[data-testid=bans] li', (els) => els.length), 0);

  await page.fill('[data-testid=player-name]', 'Griefer');
  await page.fill('[data-testid=player-reason]', 'broke the spawn');
  await page.click('[data-testid=player-ban]');
  await page.waitForSelector('[data-testid=bans] li >> text=Griefer');
  assert.match(await page.textContent('[data-testid=bans]'), /broke the spawn/);

  await page.check('[data-testid=whitelist-on]');
  await page.waitForSelector('[data-testid=player-message] >> text=The whitelist is on.');

  // Alex joins (mcsim's own console command) and shows as online, with a kick button
  await page.fill('[data-testid=console-command]', 'sim join Alex');
  await page.press('[data-testid=console-command]', 'Enter');
  await page.waitForSelector('[data-testid=online-players] li >> text=Alex', { timeout: 30000 });
  await page.$eval(lists, (el) => el.scrollIntoView());
  assert.equal(await horizontalOverflow(page), 0, 'the players section scrolls sideways at 360 px');
  await page.screenshot({ path: `${SHOTS}/players-360.png`, fullPage: false });
  await page.click('[data-testid=online-players] li >> text=Kick');
  await page.waitForSelector('[data-testid=player-message] >> text=Kicked Alex.');

  await page.click('[data-testid=bans] li >> text=Pardon');
  await page.waitForSelector('[data-testid=player-message] >> text=Pardoned Griefer.');
  assert.equal(await page.$$eval('[data-testid=bans] li', (els) => els.length), 0);
  assert.deepEqual(errors, []);
  // the next tests have the quota to themselves
  assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
  await context.close();
});

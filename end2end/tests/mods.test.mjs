// Mods in the browser at 360 px, against Modrinth answered from the tests' fixtures: the
// section says what fits the server, a search finds only that, a project's versions show, one
// installs and is removed, and Modrinth's rate limit reads as such; SpigotMC and CurseForge
// (with the key the fixtures take) beside it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, call, createServer, launch, horizontalOverflow, signIn, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('search, install and remove a mod on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-mods', { template: 'fabric', variables: { VERSION: '1.21.4' } });

  await page.goto(`${BASE}/servers/${id}#mods`);
  await page.waitForSelector('[data-testid=mods-fit] >> text=Fabric mods for Minecraft 1.21.4');
  await page.fill('[data-testid=mod-query]', 'lith');
  await page.click('[data-testid=mod-search]');
  await page.waitForSelector('[data-testid=mod-hit] >> text=Lithium');
  assert.equal(await page.$$eval('[data-testid=mod-hit]', (els) => els.length), 1);
  await page.click('[data-testid=mod-versions]');
  await page.waitForSelector('[data-testid=mod-version-list] >> text=mc1.21.4-0.14.7-fabric');
  assert.equal(await page.$$eval('[data-testid=mod-version-list] li', (els) => els.length), 1, 'only what fits');
  await page.click('[data-testid=mod-install]');
  await page.waitForSelector('[data-testid=mod-message] >> text=Installed lithium.');
  assert.match(await page.textContent('[data-testid=mods-installed]'), /lithium.*version LiTh1214/);
  await page.$eval('[data-testid=mods]', (el) => el.scrollIntoView());
  assert.equal(await horizontalOverflow(page), 0, 'the mods section scrolls sideways at 360 px');
  await page.screenshot({ path: `${SHOTS}/mods-360.png`, fullPage: false });

  // Modrinth's rate limit reaches the user as such, with the wait it gave
  await page.fill('[data-testid=mod-query]', 'ratelimited');
  await page.click('[data-testid=mod-search]');
  await page.waitForSelector('[data-testid=mod-search-error] >> text=try again in 17 seconds');

  await page.click('[data-testid=mod-remove]');
  await page.waitForSelector('[data-testid=mod-message] >> text=Removed lithium.');
  assert.equal(await page.$$eval('[data-testid=mod-installed]', (els) => els.length), 0);
  assert.deepEqual(errors, []);
  // the next tests have the quota to themselves
  assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
  await context.close();
});

test('a modpack server runs the pack chosen for it, on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-pack', { template: 'modpack', variables: { MODRINTH_MODPACK: 'cobblemon-fabric' } });
  try {
    await page.goto(`${BASE}/servers/${id}#mods`);
    await page.waitForSelector('[data-testid=mods-fit] >> text=Modrinth modpacks that run on a server');
    assert.match(await page.textContent('[data-testid=mods-installed]'), /cobblemon-fabric.*newest/);
    assert.equal(await page.$$eval('[data-testid=mod-remove]', (els) => els.length), 0, 'a pack is replaced, not removed');
    await page.fill('[data-testid=mod-query]', 'cobble');
    await page.click('[data-testid=mod-search]');
    await page.waitForSelector('[data-testid=mod-hit] >> text=Cobblemon Official Modpack');
    await page.click('[data-testid=mod-versions]');
    await page.waitForSelector('[data-testid=mod-version-list] >> text=1.5.2');
    await page.click('[data-testid=mod-version-list] li:has-text("1.5.2") button');
    await page.waitForSelector('[data-testid=mod-message] >> text=The server now runs cobblemon-fabric.');
    assert.match(await page.textContent('[data-testid=mods-installed]'), /version CoBb1201/);
    await page.waitForSelector('[data-testid=mod-update] >> text=Update to 1.6.1');
    await page.$eval('[data-testid=mods]', (el) => el.scrollIntoView());
    assert.equal(await horizontalOverflow(page), 0, 'the pack section scrolls sideways at 360 px');
    await page.screenshot({ path: `${SHOTS}/modpack-360.png`, fullPage: false });
    assert.deepEqual(errors, []);
  } finally {
    // the next tests have the quota to themselves
    assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
    await context.close();
  }
});

test('a plugin from SpigotMC on a Paper server, on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-spigot', { template: 'paper', variables: { VERSION: '1.21.4' } });
  try {
    await page.goto(`${BASE}/servers/${id}#mods`);
    await page.waitForSelector('[data-testid=mod-sources]');
    await page.check('[data-testid=mod-source-spiget]');
    await page.fill('[data-testid=mod-query]', 'luck');
    await page.click('[data-testid=mod-search]');
    await page.waitForSelector('[data-testid=mod-hit] >> text=LuckPerms');
    assert.match(await page.textContent('[data-testid=mod-hit]'), /on SpigotMC.*Tested on 1\.20, 1\.21/s);
    await page.click('[data-testid=mod-install]');
    await page.waitForSelector('[data-testid=mod-message] >> text=Installed LuckPerms.');
    assert.match(await page.textContent('[data-testid=mod-installed][data-source=spiget]'), /LuckPerms.*SpigotMC 28140/);
    await page.$eval('[data-testid=mods]', (el) => el.scrollIntoView());
    assert.equal(await horizontalOverflow(page), 0, 'the plugins section scrolls sideways at 360 px');
    await page.screenshot({ path: `${SHOTS}/spigot-360.png`, fullPage: false });
    await page.click('[data-testid=mod-installed][data-source=spiget] [data-testid=mod-remove]');
    await page.waitForSelector('[data-testid=mod-message] >> text=its file stays in plugins/');
    assert.deepEqual(errors, []);
  } finally {
    assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
    await context.close();
  }
});

test('a mod from CurseForge with what it needs, on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);
  const id = await createServer(page, 'e2e-curse', { template: 'fabric', variables: { VERSION: '1.21.4' } });
  try {
    await page.goto(`${BASE}/servers/${id}#mods`);
    await page.waitForSelector('[data-testid=mod-sources]');
    await page.check('[data-testid=mod-source-curseforge]');
    await page.fill('[data-testid=mod-query]', 'menu');
    await page.click('[data-testid=mod-search]');
    await page.waitForSelector('[data-testid=mod-hit] >> text=Mod Menu');
    assert.match(await page.textContent('[data-testid=mod-hit]'), /by Prospector/);
    await page.click('[data-testid=mod-install]');
    await page.waitForSelector('[data-testid=mod-message] >> text=Installed Mod Menu.');
    // with the two it needs, which the server would not fetch itself
    const listed = await page.$$eval('[data-testid=mod-installed][data-source=curseforge]', (els) => els.map((e) => e.textContent));
    assert.equal(listed.length, 3, listed.join(' | '));
    assert.match(listed.join(' | '), /Mod Menu.*file 6030304.*Cloth Config.*Fabric API/);
    await page.$eval('[data-testid=mods]', (el) => el.scrollIntoView());
    assert.equal(await horizontalOverflow(page), 0, 'the CurseForge section scrolls sideways at 360 px');
    await page.screenshot({ path: `${SHOTS}/curseforge-360.png`, fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.$eval('[data-testid=mods]', (el) => el.scrollIntoView());
    await page.screenshot({ path: `${SHOTS}/curseforge-1280.png`, fullPage: false });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.click('[data-testid=mod-installed][data-source=curseforge]:has-text("Mod Menu") [data-testid=mod-remove]');
    await page.waitForSelector('[data-testid=mod-message] >> text=its file goes at the server');
    assert.equal(await page.$$eval('[data-testid=mod-installed][data-source=curseforge]', (els) => els.length), 2);
    assert.deepEqual(errors, []);
  } finally {
    assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
    await context.close();
  }
});

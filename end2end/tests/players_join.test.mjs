// A real Minecraft client joins a server the panel made, at the address the panel shows: the
// sandbox's flying-squid template (a Minecraft server in Node.js), npm's minecraft-protocol for
// the Server List Ping and a mineflayer bot as the player. The bot's chat shows in the panel's
// console, a `say` typed in the panel reaches the bot, and the Players card counts 0, 1, 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mc from 'minecraft-protocol';
import mineflayer from 'mineflayer';
import { launch, shot, horizontalOverflow, signIn, call, collectErrors } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Resolves with the first `event` of `emitter` (its arguments), or fails after `ms`. */
function once(emitter, event, ms, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what ?? event}`)), ms);
    emitter.once(event, (...args) => { clearTimeout(timer); resolve(args); });
    emitter.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

test('a Minecraft client joins the server at the address the panel shows', { timeout: 240000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  collectErrors(page, errors);
  await signIn(page);

  const templates = (await call(page, 'templates', {})).body;
  const plans = (await call(page, 'plans', {})).body;
  const squid = templates.find((t) => t.slug === 'flying-squid');
  assert.ok(squid, 'the sandbox has the flying-squid template');
  const created = await call(page, 'server_create', {
    name: 'squid', template_id: squid.id, plan_id: plans.find((p) => p.slug === 'small').id,
    variables: { MOTD: 'Join me', MAX_PLAYERS: '5' },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.id;

  await page.goto(`${new URL(page.url()).origin}/servers/${id}`);
  await page.waitForSelector('[data-testid=server]');
  // the first start installs flying-squid into the world (npm), then starts it
  await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent.includes('running'), null, { timeout: 180000 });
  const address = (await page.textContent('[data-testid=join-address]')).trim();
  const [host, portText] = address.split(':');
  const port = Number(portText);
  assert.match(address, /^127\.0\.0\.1:3\d{4}$/, 'the sandbox joins at 127.0.0.1:<node port>');

  // the Server List Ping through the node port: the server's own answer
  const status = await mc.ping({ host, port, version: '1.21.4' });
  assert.equal(status.players.max, 5);
  assert.equal(status.players.online, 0);
  assert.match(JSON.stringify(status.description), /Join me/);

  // a player joins
  await page.waitForSelector('[data-testid=players]', { timeout: 30000 });
  assert.match(await page.textContent('[data-testid=players]'), /^0 \/ 5 players online/);
  const bot = mineflayer.createBot({ host, port, username: 'bot1', version: '1.21.4', auth: 'offline' });
  try {
    await once(bot, 'spawn', 60000, 'the bot to spawn');
    await page.waitForSelector('[data-testid=players-names] li:has-text("bot1")', { timeout: 30000 });
    assert.equal(await page.textContent('[data-testid=players-online]'), '1');

    // what the player says shows in the panel's console
    const out = '[data-testid=console-output]';
    bot.chat('hello from the bot');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('<bot1> hello from the bot'), out, { timeout: 30000 });

    // what the panel says reaches the player
    const heard = new Promise((resolve) => {
      bot.on('messagestr', (text) => { if (text.includes('hi from the panel')) resolve(text); });
    });
    await page.fill('[data-testid=console-command]', 'say hi from the panel');
    await page.press('[data-testid=console-command]', 'Enter');
    const text = await Promise.race([heard, new Promise((_, no) => setTimeout(() => no(new Error('the bot heard nothing')), 30000))]);
    assert.match(text, /hi from the panel/);
    await shot(page, 'server-real-client-1280');
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await horizontalOverflow(page), 0, 'the server page scrolls sideways at 360 px');
    await shot(page, 'server-real-client-360');
  } finally {
    bot.quit();
  }
  // and leaves
  await page.waitForFunction(() => document.querySelector('[data-testid=players-online]')?.textContent === '0', null, { timeout: 30000 });

  assert.equal((await call(page, 'server_delete', { id, keep_world: false })).status, 200);
  assert.deepEqual(errors, []);
  await context.close();
});

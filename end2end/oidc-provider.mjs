// A real OpenID Connect provider (npm `oidc-provider` 8) for the panel's tests.
//
//   node end2end/oidc-provider.mjs
//
// Environment:
//   OIDC_PORT            port on 127.0.0.1 (default 0 = any free port)
//   OIDC_ISSUER          issuer the provider claims (default http://127.0.0.1:<port>);
//                        a literal `{port}` in it is replaced by the actual port
//   OIDC_CLIENT_ID       default `panel`
//   OIDC_CLIENT_SECRET   default `panel-secret`
//   OIDC_REDIRECT_URIS   comma separated, required
//   OIDC_TAMPER          unset | `signature` | `expire`
//     signature: the token endpoint's id_token gets a corrupted signature part
//                (still three base64url parts, the signature just does not verify)
//     expire:    ID tokens live 1 s (ttl.IdToken = 1) and the token endpoint's answer is
//                held back OIDC_EXPIRE_DELAY_MS (default 3000) ms, so `exp` is past on arrival
//
// On start it prints exactly one line to stdout, the issuer URL, and runs until killed.
//
// Test control endpoint: POST /__test/next-login with a JSON account
//   { "sub", "email", "email_verified", "preferred_username", "name", "groups" }
// makes the next (and following) logins use that account; answers 204.
// A browser/cookie jar whose provider session belongs to another sub is made to log in again.

import crypto from 'node:crypto';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

// oidc-provider prints its development notices with console.info (stdout); stdout must carry
// only the issuer line, so every console output goes to stderr.
for (const method of ['log', 'info', 'debug']) {
  // eslint-disable-next-line no-console
  console[method] = (...args) => console.error(...args);
}

const env = process.env;
const port = Number(env.OIDC_PORT || 0);
const clientId = env.OIDC_CLIENT_ID || 'panel';
const clientSecret = env.OIDC_CLIENT_SECRET || 'panel-secret';
const redirectUris = (env.OIDC_REDIRECT_URIS || '').split(',').map((s) => s.trim()).filter(Boolean);
const tamper = env.OIDC_TAMPER || '';
const expireDelayMs = Number(env.OIDC_EXPIRE_DELAY_MS || 3000);

if (!redirectUris.length) {
  console.error('oidc-provider.mjs: OIDC_REDIRECT_URIS is required');
  process.exit(2);
}
if (!['', 'signature', 'expire'].includes(tamper)) {
  console.error(`oidc-provider.mjs: unknown OIDC_TAMPER ${JSON.stringify(tamper)}`);
  process.exit(2);
}

// ---- accounts -------------------------------------------------------------------------------

const accounts = new Map();
let current;

function setCurrent(data) {
  current = {
    sub: String(data.sub),
    email: data.email,
    email_verified: data.email_verified,
    preferred_username: data.preferred_username,
    name: data.name,
    groups: Array.isArray(data.groups) ? data.groups.map(String) : [],
  };
  accounts.set(current.sub, current);
}

setCurrent({
  sub: 'alice-sub',
  email: 'alice@example.test',
  email_verified: true,
  preferred_username: 'alice',
  groups: [],
});

async function findAccount(ctx, id) {
  const account = accounts.get(id);
  if (!account) return undefined;
  return {
    accountId: id,
    async claims() {
      const claims = { sub: id };
      for (const [key, value] of Object.entries(account)) {
        if (key !== 'sub' && value !== undefined && value !== null) claims[key] = value;
      }
      return claims;
    },
  };
}

// ---- keys -----------------------------------------------------------------------------------

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: crypto.randomBytes(8).toString('hex'),
  use: 'sig',
  alg: 'RS256',
};

// ---- interaction policy ---------------------------------------------------------------------

const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'test_account_changed',
  'the test account was changed by POST /__test/next-login',
  (ctx) => {
    const { accountId } = ctx.oidc.session;
    return accountId && accountId !== current.sub
      ? interactionPolicy.Check.REQUEST_PROMPT
      : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  },
));

// ---- helpers --------------------------------------------------------------------------------

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendText(res, status, text) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}

// Changes six characters in the middle of the signature part (not the last character, whose
// low bits may be padding that some decoders ignore).
function corruptSignature(jwt) {
  const parts = jwt.split('.');
  const sig = parts[2].split('');
  const from = Math.floor(sig.length / 2);
  for (let i = from; i < from + 6 && i < sig.length; i += 1) {
    sig[i] = sig[i] === 'A' ? 'B' : 'A';
  }
  parts[2] = sig.join('');
  return parts.join('.');
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

// ---- server ---------------------------------------------------------------------------------

let handler = (req, res) => sendText(res, 503, 'starting');
const server = http.createServer((req, res) => handler(req, res));

await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});

const actualPort = server.address().port;
const issuer = (env.OIDC_ISSUER || 'http://127.0.0.1:{port}').replaceAll('{port}', String(actualPort));

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  jwks: { keys: [signingKey] },
  findAccount,
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'name'],
    groups: ['groups'],
  },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
  },
  interactions: {
    policy,
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  cookies: {
    keys: ['panel-end2end-oidc-test-cookie-key'],
    // Plain http on loopback: SameSite=None without Secure is refused by Chromium, so use lax.
    long: { httpOnly: true, sameSite: 'lax' },
    short: { httpOnly: true, sameSite: 'lax' },
  },
  pkce: { methods: ['S256'], required: () => true },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: tamper === 'expire' ? 1 : 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  clientBasedCORS: () => true,
  async renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
});

provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));

if (tamper) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200 || !ctx.body?.id_token) return;
    if (tamper === 'signature') {
      ctx.body = { ...ctx.body, id_token: corruptSignature(ctx.body.id_token) };
    } else if (tamper === 'expire') {
      await sleep(expireDelayMs);
    }
  });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params } = details;
  let result;
  if (prompt.name === 'login') {
    // The browser's provider session belongs to another account (the test switched accounts):
    // drop that session here, otherwise oidc-provider answers the resume with an auto-submitting
    // "log out first?" form instead of a redirect.
    if (details.session?.accountId && details.session.accountId !== current.sub) {
      const stale = await provider.Session.findByUid(details.session.uid);
      if (stale) await stale.destroy();
      delete details.session;
      await details.save(details.exp - Math.floor(Date.now() / 1000));
    }
    result = { login: { accountId: current.sub } };
  } else if (prompt.name === 'consent') {
    const accountId = details.session.accountId;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: params.client_id });
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    if (d.missingResourceScopes) {
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    result = { consent: { grantId } };
  } else {
    result = { error: 'access_denied', error_description: `unsupported prompt ${prompt.name}` };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const providerCallback = provider.callback();

handler = async (req, res) => {
  try {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    if (pathname === '/__test/next-login') {
      if (req.method !== 'POST') return sendText(res, 405, 'POST only');
      let data;
      try {
        data = JSON.parse(await readBody(req));
      } catch {
        return sendText(res, 400, 'invalid JSON');
      }
      if (!data || typeof data.sub !== 'string' || !data.sub) {
        return sendText(res, 400, 'sub (string) is required');
      }
      setCurrent(data);
      res.statusCode = 204;
      return res.end();
    }
    if (req.method === 'GET' && /^\/interaction\/[^/]+$/.test(pathname)) {
      return await interaction(req, res);
    }
    return providerCallback(req, res);
  } catch (err) {
    console.error('oidc-provider.mjs:', err);
    const status = err?.name === 'SessionNotFound' ? 400 : 500;
    if (!res.headersSent) return sendText(res, status, String(err?.message || err));
    return res.end();
  }
};

const shutdown = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

process.stdout.write(`${issuer}\n`);

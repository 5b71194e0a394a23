// A real OpenID Connect provider for the tests (npm's certified `oidc-provider`), standing in for
// ID-porten and HelseID: discovery, JWKS, signed ID tokens, PKCE required, clients that
// authenticate with private_key_jwt, and the claims the national logins send (pid, acr, HelseID's
// HPR number and security level).
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG: {"port": 0, "clients": [{client_id, redirect_uris, jwks}], "accounts": {id: {claims}}}
// The provider listens on 127.0.0.1 and prints one line, "READY <issuer>", when it accepts requests.
// Its login page takes an account id and the assurance level (acr) to log in at.

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const port = config.port;
const issuer = `http://127.0.0.1:${port}`;

const ACR_VALUES = ['idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high'];
// HelseID's security level (3 = substantial, 4 = high) follows the level the person logged in at.
const SECURITY_LEVEL = {
  'idporten-loa-low': '2',
  'idporten-loa-substantial': '3',
  'idporten-loa-high': '4',
};
const HELSEID_LEVEL = 'helseid://claims/identity/security_level';

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
signingKey.kid = 'test-signing-key';
signingKey.use = 'sig';
signingKey.alg = 'RS256';

const provider = new Provider(issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    ...c,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomUUID()] },
  pkce: { required: () => true },
  acrValues: ACR_VALUES,
  // Like ID-porten and HelseID: the person's claims are in the ID token itself.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub', 'pid', 'helseid://claims/identity/pid', 'helseid://claims/hpr/hpr_number', HELSEID_LEVEL],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email', 'email_verified'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub, token) {
    const claims = config.accounts[sub];
    if (!claims) return undefined;
    return {
      accountId: sub,
      async claims() {
        const acr = token?.acr ?? ctx.oidc?.session?.acr;
        const level = SECURITY_LEVEL[acr];
        return { sub, ...claims, ...(level ? { [HELSEID_LEVEL]: level } : {}) };
      },
    };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));
provider.on('grant.error', (ctx, err) => console.error('grant.error', err.error, err.error_description));

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, params) {
  const wanted = (params.acr_values || 'idporten-loa-substantial').split(' ')[0];
  const options = ACR_VALUES.map(
    (acr) => `<option value="${acr}"${acr === wanted ? ' selected' : ''}>${acr}</option>`,
  ).join('');
  return `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Testinnlogging</title></head>
<body><main>
<h1>Testinnlogging</h1>
<p>Innlogging hos testleverandøren for ${escape(params.client_id)}.</p>
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label for="login">Bruker-ID</label><br><input id="login" name="login" autocomplete="username" required></p>
<p><label for="acr">Sikkerhetsnivå</label><br><select id="acr" name="acr">${options}</select></p>
<p><button type="submit">Logg inn</button></p>
</form>
</main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

const callback = provider.callback();

const server = http.createServer(async (req, res) => {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST' && match[2]) {
      const form = await readForm(req);
      if (!config.accounts[form.login]) {
        res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(loginPage(details.uid, details.params));
      }
      return provider.interactionFinished(req, res, { login: { accountId: form.login, acr: form.acr } }, {
        mergeWithLastSubmission: false,
      });
    }
    if (details.prompt.name === 'consent') {
      // A first-party client: what it asks for is granted without a consent page.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(loginPage(details.uid, details.params));
  } catch (err) {
    console.error(err);
    res.writeHead(500, { 'content-type': 'text/plain' });
    return res.end(String(err));
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});

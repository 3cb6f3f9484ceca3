// A real OAuth 2.1 authorization server (npm oidc-provider) in front of a protected MCP server,
// for the gateway's OAuth tests. Prints one JSON line with the addresses when both listen.
//   env: ACCESS_TTL (seconds an access token lives, default 60),
//        PKCE_METHODS (what the metadata advertises as code_challenge_methods_supported; default as is: S256)
// The authorization server logs in the user named by the `login_hint` parameter of the authorization
// request (default "user-1") and consents to what was asked, without pages: the test is the browser.
// POST /test/revoke?account=<id> withdraws every grant of an account (its refresh tokens stop working).
// The MCP server accepts only JWT access tokens issued for its resource URL (audience), answers 401
// with WWW-Authenticate resource_metadata otherwise, and offers `whoami` (the token's subject) and `echo`.
import http from 'node:http';
import Provider from 'oidc-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

const asServer = http.createServer();
const asPort = await listen(asServer);
const issuer = `http://127.0.0.1:${asPort}`;
const mcpHttp = http.createServer();
const mcpPort = await listen(mcpHttp);
const resource = `http://127.0.0.1:${mcpPort}/mcp`;
const accessTtl = Number(process.env.ACCESS_TTL ?? 60);

// oidc-provider's storage, in memory, with one addition for the tests: revoking every grant of an
// account, as a user does who withdraws the app's access at the provider.
const storage = new Map();
class TestAdapter {
  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }
  async upsert(id, payload, expiresIn) {
    storage.set(this.key(id), { payload, expires: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
  }
  async find(id) {
    const entry = storage.get(this.key(id));
    if (!entry || (entry.expires && entry.expires < Date.now())) return undefined;
    return entry.payload;
  }
  async findByUid(uid) {
    for (const [key, entry] of storage) {
      if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return entry.payload;
    }
    return undefined;
  }
  async findByUserCode() { return undefined; }
  async consume(id) {
    const entry = storage.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) { storage.delete(this.key(id)); }
  async revokeByGrantId(grantId) {
    for (const [key, entry] of storage) if (entry.payload.grantId === grantId) storage.delete(key);
  }
}
const revokeAccount = (accountId) => {
  for (const [key, entry] of storage) {
    if (entry.payload.accountId === accountId && entry.payload.grantId) {
      for (const [other, e] of storage) if (e.payload.grantId === entry.payload.grantId) storage.delete(other);
      storage.delete(key);
    }
  }
};

const provider = new Provider(issuer, {
  adapter: TestAdapter,
  clients: [{
    client_id: 'machine', client_secret: 'machine-secret', grant_types: ['client_credentials'],
    redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_basic',
  }],
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, client, oneOf) => oneOf ?? resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator) => {
        if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
        return { scope: 'mcp:tools', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: accessTtl };
      },
    },
  },
  scopes: ['openid', 'offline_access', 'mcp:tools'],
  pkce: { required: () => true },
  issueRefreshToken: () => true,
  rotateRefreshToken: true,
  ttl: { AccessToken: accessTtl, RefreshToken: 3600, Interaction: 600, Session: 600, Grant: 3600 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
});

// PKCE_METHODS rewrites what the metadata advertises, to test a server that does not offer S256.
provider.use(async (ctx, next) => {
  await next();
  if (process.env.PKCE_METHODS && ctx.path.startsWith('/.well-known/') && ctx.body) {
    ctx.body = { ...ctx.body, code_challenge_methods_supported: process.env.PKCE_METHODS.split(',') };
  }
});
provider.proxy = false;

// The pages a person would see: log in the login_hint user and grant what was asked.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params } = details;
  let result;
  if (prompt.name === 'login') {
    result = { login: { accountId: params.login_hint || 'user-1' } };
  } else {
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    result = { consent: { grantId: await grant.save() } };
  }
  return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
});
const callback = provider.callback();
asServer.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname === '/test/revoke') {
    revokeAccount(url.searchParams.get('account'));
    res.writeHead(204).end();
    return;
  }
  callback(req, res);
});

const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
const metadataUrl = `http://127.0.0.1:${mcpPort}/.well-known/oauth-protected-resource/mcp`;
const challenge = `Bearer resource_metadata="${metadataUrl}", scope="mcp:tools"`;

mcpHttp.on('request', async (req, res) => {
  if (req.url === '/.well-known/oauth-protected-resource/mcp') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ resource, authorization_servers: [issuer], scopes_supported: ['mcp:tools'],
      bearer_methods_supported: ['header'] }));
    return;
  }
  if (!req.url.startsWith('/mcp')) { res.writeHead(404).end(); return; }
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  let subject;
  try {
    ({ payload: { sub: subject } } = await jwtVerify(token, jwks, { issuer, audience: resource }));
  } catch (e) {
    res.writeHead(401, { 'WWW-Authenticate': challenge, 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_token', error_description: String(e.message) }));
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
  const server = new McpServer({ name: 'protected', version: '1.0.0' });
  server.registerTool('whoami', { description: 'The subject of the access token', inputSchema: {} },
    async () => ({ content: [{ type: 'text', text: subject }] }));
  server.registerTool('echo', { description: 'Echo', inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
});

console.log(JSON.stringify({ issuer, resource, metadata: metadataUrl }));

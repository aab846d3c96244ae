import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RestError, type OrgContext, type RestReply, type RestRequest } from '../context';
import type { EmuUser } from '../store';
import { header, methodNotAllowed, notFound } from './call';

/**
 * OAuth 2.0 web-server flow (authorize → code → token, PKCE S256), refresh tokens, revoke,
 * OpenID `userinfo` and the identity URL `/id/{orgId}/{userId}`.
 * The authorize page approves at once, as the admin or as the user named by `login_hint`.
 * Access tokens are the users' fixed tokens; refresh tokens are derived from them (HMAC), so they
 * survive an emulator restart; revoking a refresh token is remembered until the org stops.
 */

const CODE_TTL_MS = 10 * 60 * 1000;
const SIGNING_KEY = 'changeline-emulator-connected-app';

interface PendingCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  challenge?: string;
  expires: number;
}

const b64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function oauthError(status: number, error: string, description: string): RestReply {
  return { status, body: { error, error_description: description } };
}

export class OAuth {
  private codes = new Map<string, PendingCode>();
  private revoked = new Set<string>();

  constructor(private readonly org: OrgContext) {}

  idUrl(user: EmuUser): string {
    return `${this.org.instanceUrl}/id/${this.org.store.identity.orgId}/${user.id}`;
  }

  /** Handles `/services/oauth2/*` (parts after `oauth2`). `user` is the authenticated caller, if any. */
  handle(req: RestRequest, parts: string[], user: EmuUser | undefined): RestReply {
    switch (parts.join('/')) {
      case 'authorize':
        if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed(req.method, ['GET', 'POST']);
        return this.authorize(req);
      case 'token':
        if (req.method !== 'POST') throw methodNotAllowed(req.method, ['POST']);
        return this.token(req);
      case 'revoke':
        if (req.method !== 'POST' && req.method !== 'GET') throw methodNotAllowed(req.method, ['GET', 'POST']);
        return this.revoke(req);
      case 'userinfo':
        if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed(req.method, ['GET', 'POST']);
        if (!user) throw new RestError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
        return { status: 200, body: this.userinfo(user) };
      default:
        throw notFound();
    }
  }

  /** `GET /id/{orgId}/{userId}`: the identity service, for the caller's own id only. */
  identity(req: RestRequest, parts: string[], user: EmuUser): RestReply {
    if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET']);
    if (parts.length !== 2) throw notFound();
    if (parts[0] !== this.org.store.identity.orgId || parts[1] !== user.id) throw new RestError(403, 'FORBIDDEN', 'Bad_Id');
    const info = this.userinfo(user);
    return {
      status: 200,
      body: {
        id: info.sub,
        asserted_user: true,
        user_id: user.id,
        organization_id: this.org.store.identity.orgId,
        username: user.username,
        nick_name: info.nickname,
        display_name: user.name,
        email: user.email,
        email_verified: true,
        first_name: info.given_name,
        last_name: info.family_name,
        timezone: 'GMT',
        photos: {},
        status: { created_date: null, body: null },
        urls: info.urls,
        active: user.isActive,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: 0,
        last_modified_date: '2024-01-01T00:00:00Z',
        is_app_installed: true,
      },
    };
  }

  userinfo(user: EmuUser) {
    const base = this.org.instanceUrl;
    const parts = user.name.split(' ');
    const orgId = this.org.store.identity.orgId;
    return {
      sub: this.idUrl(user),
      user_id: user.id,
      organization_id: orgId,
      preferred_username: user.username,
      nickname: user.username.split('@')[0],
      name: user.name,
      email: user.email,
      email_verified: true,
      given_name: parts.length > 1 ? parts[0] : '',
      family_name: parts.length > 1 ? parts.slice(1).join(' ') : user.name,
      zoneinfo: 'GMT',
      photos: {},
      profile: `${base}/${user.id}`,
      picture: null,
      address: {},
      is_salesforce_integration_user: false,
      urls: {
        enterprise: `${base}/services/Soap/c/{version}/${orgId}`,
        metadata: `${base}/services/Soap/m/{version}/${orgId}`,
        partner: `${base}/services/Soap/u/{version}/${orgId}`,
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        search: `${base}/services/data/v{version}/search/`,
        query: `${base}/services/data/v{version}/query/`,
        recent: `${base}/services/data/v{version}/recent/`,
        tooling_rest: `${base}/services/data/v{version}/tooling/`,
        profile: `${base}/${user.id}`,
        custom_domain: base,
      },
      active: user.isActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      updated_at: '2024-01-01T00:00:00Z',
      is_app_installed: true,
    };
  }

  private params(req: RestRequest): URLSearchParams {
    if (req.method === 'GET') return req.query;
    const type = header(req, 'content-type') ?? '';
    const body = new URLSearchParams(type.includes('json') ? '' : req.body.toString('utf8'));
    for (const [k, v] of req.query) if (!body.has(k)) body.set(k, v);
    return body;
  }

  private authorize(req: RestRequest): RestReply {
    const p = this.params(req);
    const clientId = p.get('client_id');
    const redirect = p.get('redirect_uri');
    const text = (status: number, msg: string): RestReply => ({ status, body: `error=${msg}`, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
    if (!clientId) return text(400, 'invalid_client_id&error_description=client identifier invalid');
    let target: URL;
    try {
      target = new URL(redirect ?? '');
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return text(400, 'redirect_uri_mismatch&error_description=redirect_uri must be an absolute http(s) URL');
    }
    const state = p.get('state');
    const back = (q: Record<string, string>): RestReply => {
      for (const [k, v] of Object.entries(q)) target.searchParams.set(k, v);
      if (state !== null) target.searchParams.set('state', state);
      return { status: 302, headers: { Location: target.toString(), 'Content-Type': 'text/plain' }, body: '' };
    };
    if (p.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
    const challenge = p.get('code_challenge') ?? undefined;
    const method = p.get('code_challenge_method') ?? 'S256';
    if (challenge && method !== 'S256') return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    const hint = p.get('login_hint');
    const users = this.org.store.identity.users;
    const user = hint ? users.find((u) => u.username.toLowerCase() === hint.toLowerCase()) : users[0];
    if (!user || !user.isActive) return back({ error: 'access_denied', error_description: `no active user ${hint ?? ''}`.trim() });
    const now = Date.now();
    for (const [k, v] of this.codes) if (v.expires < now) this.codes.delete(k);
    const code = `aPrx${b64url(randomBytes(24))}`;
    this.codes.set(code, { userId: user.id, clientId, redirectUri: redirect as string, challenge, expires: now + CODE_TTL_MS });
    return back({ code });
  }

  private refreshTokenFor(user: EmuUser, clientId: string): string {
    return `5Aep861${b64url(createHmac('sha256', user.accessToken).update(`refresh:${clientId}`).digest())}`;
  }

  private tokenReply(user: EmuUser, clientId: string, withRefresh: boolean): RestReply {
    const issuedAt = String(Date.now());
    const id = this.idUrl(user);
    return {
      status: 200,
      body: {
        access_token: user.accessToken,
        ...(withRefresh ? { refresh_token: this.refreshTokenFor(user, clientId) } : {}),
        signature: createHmac('sha256', SIGNING_KEY).update(id + issuedAt).digest('base64'),
        scope: 'refresh_token web api full',
        instance_url: this.org.instanceUrl,
        id,
        token_type: 'Bearer',
        issued_at: issuedAt,
      },
    };
  }

  private token(req: RestRequest): RestReply {
    const p = this.params(req);
    const grant = p.get('grant_type');
    const clientId = p.get('client_id') ?? '';
    if (grant === 'authorization_code') {
      const code = p.get('code') ?? '';
      const pending = this.codes.get(code);
      this.codes.delete(code); // single use, even when the exchange fails
      if (!pending || pending.expires < Date.now()) return oauthError(400, 'invalid_grant', 'invalid authorization code');
      if (pending.clientId !== clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
      if ((p.get('redirect_uri') ?? '') !== pending.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      if (pending.challenge) {
        const verifier = p.get('code_verifier') ?? '';
        const expect = Buffer.from(b64url(createHash('sha256').update(verifier).digest()));
        const got = Buffer.from(pending.challenge);
        if (!verifier || expect.length !== got.length || !timingSafeEqual(expect, got)) return oauthError(400, 'invalid_grant', 'invalid code verifier');
      }
      const user = this.org.userById(pending.userId);
      if (!user || !user.isActive) return oauthError(400, 'invalid_grant', 'inactive user');
      return this.tokenReply(user, clientId, true);
    }
    if (grant === 'refresh_token') {
      const rt = p.get('refresh_token') ?? '';
      const user = this.revoked.has(rt) ? undefined : this.org.store.identity.users.find((u) => u.isActive && this.refreshTokenFor(u, clientId) === rt);
      if (!user) return oauthError(400, 'invalid_grant', 'expired access/refresh token');
      return this.tokenReply(user, clientId, false);
    }
    return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
  }

  private revoke(req: RestRequest): RestReply {
    const token = this.params(req).get('token') ?? '';
    const users = this.org.store.identity.users;
    const isAccess = users.some((u) => u.accessToken === token);
    const isRefresh = /^5Aep861/.test(token);
    if (!token || (!isAccess && !isRefresh)) return oauthError(400, 'unsupported_token_type', 'this token type is not supported');
    // Access tokens are fixed per user in the emulator: revoking one is acknowledged but not enforced.
    if (isRefresh) this.revoked.add(token);
    return { status: 200, body: '' };
  }
}

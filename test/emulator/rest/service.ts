import type { OrgContext, RequestContext, RestReply, RestRequest } from '../context';
import { methodNotAllowed, notFound, type RestCall } from './call';
import { handleComposite } from './composite';
import { handleDeployRequest } from './deploy-request';
import { OAuth } from './oauth';
import { handleQuery, QueryCursors } from './query';
import { Records } from './records';
import { handleSObjects } from './sobjects';

/**
 * The REST API of one emulated org: versions and resources, sObjects (describe, CRUD, composite),
 * SOQL (data and tooling), OAuth (web-server flow, refresh, revoke, userinfo), identity and the
 * Metadata API's REST `metadata/deployRequest` resource.
 */

const MIN_VERSION = 31;

/** Release name of an API version: v59 = Winter '24, v60 = Spring '24, v61 = Summer '24… */
export function releaseLabel(version: number): string {
  const n = version - 59;
  const season = ['Winter', 'Spring', 'Summer'][((n % 3) + 3) % 3];
  return `${season} '${24 + Math.floor(n / 3)}`;
}

export class RestService {
  readonly records: Records;
  readonly oauth: OAuth;
  readonly cursors = new QueryCursors();
  /** Counters for benchmarks: requests handled and time spent in handlers (ms). */
  readonly stats = { requests: 0, handlerMs: 0 };

  constructor(readonly org: OrgContext) {
    this.records = new Records(org);
    this.oauth = new OAuth(org);
  }

  async handle(ctx: RequestContext, req: RestRequest): Promise<RestReply> {
    const started = performance.now();
    this.stats.requests++;
    try {
      return this.route(ctx, req);
    } finally {
      this.stats.handlerMs += performance.now() - started;
    }
  }

  private route(ctx: RequestContext, req: RestRequest): RestReply {
    const parts = req.path.split('/').filter(Boolean).map(decodeSegment);
    if (parts[0] === 'services' && parts[1] === 'oauth2') return this.oauth.handle(req, parts.slice(2), this.authenticated(ctx, req));
    if (parts[0] === 'id') return this.oauth.identity(req, parts.slice(1), ctx.user);
    if (parts[0] !== 'services' || parts[1] !== 'data') throw notFound();
    if (parts.length === 2) {
      if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET', 'HEAD']);
      return { status: 200, body: this.versions() };
    }
    const m = /^v(\d+)\.0$/.exec(parts[2]);
    const max = Math.floor(Number(this.org.settings.apiVersion));
    if (!m || Number(m[1]) < MIN_VERSION || Number(m[1]) > max) throw notFound();
    const version = `${m[1]}.0`;
    let rest = parts.slice(3);
    let api: 'data' | 'tooling' = 'data';
    if (rest[0] === 'tooling') {
      api = 'tooling';
      rest = rest.slice(1);
    }
    const base = `/services/data/v${version}${api === 'tooling' ? '/tooling' : ''}`;
    const call: RestCall = { ctx, req, version, api, base, records: this.records.forUser(ctx.user) };
    if (rest.length === 0) {
      if (req.method !== 'GET') throw methodNotAllowed(req.method, ['GET', 'HEAD']);
      return { status: 200, body: this.resources(call) };
    }
    const [resource, ...tail] = rest;
    switch (resource) {
      case 'sobjects':
        return handleSObjects(call, tail);
      case 'query':
        return handleQuery(call, this.cursors, 'query', tail);
      case 'queryAll':
        if (api === 'tooling') throw notFound();
        return handleQuery(call, this.cursors, 'queryAll', tail);
      case 'composite':
        if (api === 'tooling') throw notFound();
        return handleComposite(call, tail);
      case 'metadata':
        if (api === 'tooling' || tail[0] !== 'deployRequest') throw notFound();
        return handleDeployRequest(call, tail.slice(1));
      default:
        throw notFound();
    }
  }

  /** The caller's user when the request carried a valid token (public paths fall back to admin in ctx). */
  private authenticated(ctx: RequestContext, req: RestRequest): RequestContext['user'] | undefined {
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' ? auth.replace(/^(Bearer|OAuth) /i, '') : undefined;
    return token && token === ctx.user.accessToken && !this.org.faults.sessionExpired ? ctx.user : undefined;
  }

  private versions(): Array<{ label: string; url: string; version: string }> {
    const max = Math.floor(Number(this.org.settings.apiVersion));
    const out = [];
    for (let v = MIN_VERSION; v <= max; v++) out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    return out;
  }

  private resources(call: RestCall): Record<string, string> {
    const b = call.base;
    if (call.api === 'tooling') return { sobjects: `${b}/sobjects`, query: `${b}/query` };
    return {
      tooling: `${b}/tooling`,
      metadata: `${b}/metadata`,
      sobjects: `${b}/sobjects`,
      query: `${b}/query`,
      queryAll: `${b}/queryAll`,
      composite: `${b}/composite`,
      identity: this.oauth.idUrl(call.ctx.user),
    };
  }

  /** Forget query cursors (on reset). */
  dispose(): void {
    this.cursors.clear();
  }
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

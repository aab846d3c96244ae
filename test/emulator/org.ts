import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { OrgStore, type EmuUser } from './store';
import { Faults } from './faults';
import { caseSafeSuffix } from './ids';
import {
  RestError,
  SoapFault,
  type OrgContext,
  type OrgSettings,
  type RequestContext,
  type RestRequest,
} from './context';
import { BodyTooLargeError, readBody, requestUrl, sendJson, sendRestError, sendSoap, sendSoapFault } from './http';
import { MetadataService } from './metadata/service';
import { RestService } from './rest/service';

export interface OrgOptions {
  name: string;
  /** Index of the org in its emulator: makes ids and ports distinct between orgs. */
  index: number;
  /** Fixed port, or 0 for any free one. */
  port?: number;
  dataDir?: string;
  /** Secret that makes tokens and org ids deterministic (same seed → same credentials). */
  secret?: string;
  settings?: Partial<OrgSettings>;
  /** Keep source tracking (Tooling `SourceMember`); ignored for production orgs. Default false. */
  sourceTracking?: boolean;
}

/** Public description of an emulated org, as printed by the CLI. */
export interface OrgInfo {
  name: string;
  instanceUrl: string;
  username: string;
  accessToken: string;
  orgId: string;
  isSandbox: boolean;
  /** The org answers Tooling queries on `SourceMember` (source tracking on). */
  sourceTracking: boolean;
  users: Array<{ id: string; username: string; name: string; accessToken: string; isAdmin: boolean }>;
}

const SOAP_LIMIT = 400 * 1024 * 1024;
const REST_LIMIT = 50 * 1024 * 1024;
const MULTIPART_LIMIT = 2 * 1024 * 1024 * 1024 - 1;

const soapParser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['types', 'members', 'queries', 'runTests', 'specificFiles', 'packageNames'].includes(name),
});

function hash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function id18(prefix: string, seedHex: string): string {
  const body = (prefix + '0' + seedHex.replace(/[^0-9a-f]/g, '').toUpperCase()).slice(0, 15);
  return body + caseSafeSuffix(body);
}

/** `prod` and `production` (any case) name production orgs; every other name is a sandbox. */
export function isProductionName(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'prod' || n === 'production';
}

/** One emulated Salesforce org listening on its own loopback port. */
export class EmulatedOrg implements OrgContext {
  readonly name: string;
  readonly store: OrgStore;
  readonly faults = new Faults();
  readonly settings: OrgSettings;
  readonly metadata: MetadataService;
  readonly rest: RestService;
  private server?: http.Server;
  private sockets = new Set<Socket>();
  private boundPort: number;
  private down = false;

  constructor(opts: OrgOptions) {
    this.name = opts.name;
    this.boundPort = opts.port ?? 0;
    this.settings = { jobStepMs: 200, apiVersion: '62.0', ...opts.settings };
    const secret = opts.secret ?? 'changeline';
    const orgId = id18('00D', hash(secret, opts.name, 'org'));
    const domain = opts.name.toLowerCase().replace(/[^a-z0-9]/g, '');
    const mkUser = (n: number, local: string, fullName: string, isAdmin: boolean): EmuUser => {
      const uid = id18('005', hash(secret, opts.name, 'user', String(n)));
      return {
        id: uid,
        username: `${local}@${domain}.changeline.test`,
        name: fullName,
        email: `${local}@${domain}.changeline.test`,
        accessToken: `${orgId.slice(0, 15)}!${Buffer.from(hash(secret, opts.name, 'token', String(n)), 'hex').toString('base64url')}`,
        isAdmin,
        isActive: true,
      };
    };
    const users = [mkUser(1, 'admin', 'Ada Admin', true), mkUser(2, 'reviewer', 'Rae Reviewer', false)];
    const isSandbox = !isProductionName(opts.name);
    this.store = new OrgStore(
      { name: opts.name, orgId, isSandbox, sourceTracking: isSandbox && opts.sourceTracking === true, users },
      opts.dataDir,
      String.fromCharCode(65 + (opts.index % 26)),
    );
    this.metadata = new MetadataService(this);
    this.rest = new RestService(this);
  }

  get port(): number {
    return this.boundPort;
  }

  get instanceUrl(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  get users(): EmuUser[] {
    return this.store.identity.users;
  }

  get admin(): EmuUser {
    return this.users[0];
  }

  userById(id: string): EmuUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  get deploys(): MetadataService {
    return this.metadata;
  }

  info(): OrgInfo {
    const { orgId, isSandbox, sourceTracking } = this.store.identity;
    return {
      name: this.name,
      instanceUrl: this.instanceUrl,
      username: this.admin.username,
      accessToken: this.admin.accessToken,
      orgId,
      isSandbox,
      sourceTracking,
      users: this.users.map((u) => ({ id: u.id, username: u.username, name: u.name, accessToken: u.accessToken, isAdmin: u.isAdmin })),
    };
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendRestError(res, 500, 'UNKNOWN_EXCEPTION', String((err as Error)?.message ?? err));
        else res.destroy();
      });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.boundPort, '127.0.0.1', () => {
        this.boundPort = (this.server!.address() as AddressInfo).port;
        this.server!.off('error', reject);
        resolve();
      });
    });
    this.down = false;
  }

  async stop(): Promise<void> {
    this.metadata.dispose();
    await this.closeServer();
  }

  /** Stops answering on the network; the org itself (its deploy jobs included) goes on. */
  private async closeServer(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Takes the org off the network (connections refused; running deploys go on) or brings it back on the same port. */
  async setDown(isDown: boolean): Promise<void> {
    if (isDown && !this.down) {
      // As an org does when a client loses the network: deploys already started keep running.
      await this.closeServer();
      this.down = true;
    } else if (!isDown && this.down) {
      await this.start();
    }
  }

  private authenticate(token: string | undefined): EmuUser | undefined {
    if (!token || this.faults.sessionExpired) return undefined;
    return this.users.find((u) => u.accessToken === token && u.isActive);
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    const url = requestUrl(req.url, this.instanceUrl);
    // A SOAP call's fault is injected once its operation is known (routeSoap).
    if (url.pathname.startsWith('/services/Soap/m/')) return this.routeSoap(req, res, url);
    if (this.injectFault(res, `${req.method} ${url.pathname}`, false)) return;
    return this.routeRest(req, res, url);
  }

  /** Answers with an injected failure for this call, if one is due; true when it did. */
  private injectFault(res: http.ServerResponse, call: string, soap: boolean): boolean {
    const injected = this.faults.takeFailure(call);
    if (!injected) return false;
    if (this.faults.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(this.faults.retryAfterSeconds));
    if (soap) sendSoapFault(res, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable (injected fault)', injected);
    else sendRestError(res, injected, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable (injected fault)');
    return true;
  }

  private async routeSoap(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') return sendSoapFault(res, 'INVALID_REQUEST', 'SOAP requests must be POST', 405);
    let raw: Buffer;
    try {
      raw = await readBody(req, SOAP_LIMIT);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return sendSoapFault(res, 'EXCEEDED_MAX_SIZE_REQUEST', e.message, 413);
      throw e;
    }
    let envelope: Record<string, any>;
    try {
      const text = raw.toString('utf8');
      if (!text.trim().startsWith('<')) throw new Error('not XML');
      envelope = soapParser.parse(text, true) as Record<string, any>;
    } catch (e) {
      return sendSoapFault(res, 'INVALID_XML', `Unable to parse the SOAP request: ${(e as Error).message}`);
    }
    const env = envelope?.Envelope;
    const body = env?.Body;
    if (!env || !body || typeof body !== 'object') {
      return sendSoapFault(res, 'INVALID_REQUEST', 'The request is not a SOAP envelope with a Body');
    }
    const operation = Object.keys(body)[0];
    if (!operation) return sendSoapFault(res, 'INVALID_REQUEST', 'The SOAP Body is empty');
    if (this.injectFault(res, operation, true)) return;
    const sessionId: string | undefined = env.Header?.SessionHeader?.sessionId;
    const user = this.authenticate(typeof sessionId === 'string' ? sessionId : undefined);
    if (!user) return sendSoapFault(res, 'INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');
    try {
      const payload = (body[operation] ?? {}) as Record<string, unknown>;
      const apiVersion = /^\/services\/Soap\/m\/(\d+\.\d)/.exec(url.pathname)?.[1];
      const inner = await this.metadata.handle({ org: this, user, apiVersion }, operation, typeof payload === 'object' ? payload : {});
      sendSoap(res, operation, inner);
    } catch (e) {
      if (e instanceof SoapFault) return sendSoapFault(res, e.code, e.message, e.status);
      return sendSoapFault(res, 'UNKNOWN_EXCEPTION', String((e as Error)?.message ?? e));
    }
  }

  private async routeRest(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    let body: Buffer;
    try {
      // Multipart blob inserts may carry up to 2 GB (ContentVersion); JSON bodies stay under 50 MB.
      body = await readBody(req, /^multipart\/form-data/i.test(String(req.headers['content-type'] ?? '')) ? MULTIPART_LIMIT : REST_LIMIT);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return sendRestError(res, 413, 'REQUEST_TOO_LARGE', e.message);
      throw e;
    }
    const request: RestRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body };
    // Public endpoints: the version list and the OAuth endpoints (web login) need no session.
    const isPublic =
      url.pathname === '/services/data' ||
      url.pathname === '/services/data/' ||
      url.pathname.startsWith('/services/oauth2/authorize') ||
      url.pathname.startsWith('/services/oauth2/token') ||
      url.pathname.startsWith('/services/oauth2/revoke');
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' && /^(Bearer|OAuth) /i.test(auth) ? auth.replace(/^(Bearer|OAuth) /i, '') : undefined;
    const user = this.authenticate(token);
    if (!user && !isPublic) {
      return sendJson(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    const ctx: RequestContext = { org: this, user: user ?? this.admin };
    try {
      const reply = await this.rest.handle(ctx, request);
      if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body);
      } else {
        sendJson(res, reply.status, reply.body, reply.headers);
      }
    } catch (e) {
      if (e instanceof RestError) return sendRestError(res, e.status, e.errorCode, e.message, e.fields);
      throw e;
    }
  }
}

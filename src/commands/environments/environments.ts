/** Add Environment… and Remove Environment. */
import * as vscode from 'vscode';
import {
  ROLES,
  ROLE_RANK,
  addEnvironmentToText,
  draftPipeline,
  guessRole,
  parsePipeline,
  removeEnvironmentFromText,
  type Environment,
  type Role,
} from '../../core/pipeline';
import type { OrgAuthorization } from '../../core/orgs';
import type { Ctx } from '../../ctx';
import { readPipelineText, requirePipelineUri, writePipelineText } from './pipelineFile';

export interface AddEnvironmentOptions {
  /** Alias or username of an authorized org. */
  org?: string;
  /** Authorize by access token first (never logged nor stored in settings). */
  accessToken?: string;
  instanceUrl?: string;
  /** Authorize by web login first. */
  loginUrl?: string;
  /** Alias to save the new authorization under. */
  alias?: string;
  name?: string;
  role?: Role;
  next?: string;
}

const ALIAS_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function validUrl(v: string): string | undefined {
  return /^https?:\/\/[^\s/]+/.test(v.trim()) ? undefined : 'Enter a URL like https://mydomain.my.salesforce.com';
}

async function askAlias(ctx: Ctx, suggestion?: string): Promise<string | undefined> {
  return ctx.prompts.input({
    title: 'Alias for the new org',
    prompt: 'A short name for this org, used in the pipeline file (like the sf CLI --alias)',
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (v) => (ALIAS_RE.test(v.trim()) ? undefined : 'Use letters, digits, ".", "_" or "-", starting with a letter or digit.'),
  });
}

async function authorize(ctx: Ctx, options: AddEnvironmentOptions): Promise<string> {
  const sf = await ctx.salesforce();
  const alias = options.alias?.trim();
  if (alias !== undefined && !ALIAS_RE.test(alias)) throw new Error(`"${alias}" is not a valid alias: use letters, digits, ".", "_" or "-".`);
  let authorized: unknown;
  if (options.accessToken !== undefined) {
    if (!options.instanceUrl || validUrl(options.instanceUrl)) throw new Error('An instance URL like https://mydomain.my.salesforce.com is required with an access token.');
    ctx.log.info(`Authorizing ${alias ?? 'an org'} at ${options.instanceUrl} with an access token.`);
    authorized = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Changeline: checking the access token…' }, () =>
      sf.authorizeWithToken({ accessToken: options.accessToken!, instanceUrl: options.instanceUrl!.trim(), alias }),
    );
  } else {
    const loginUrl = (options.loginUrl ?? ctx.config().defaultLoginUrl).trim();
    if (validUrl(loginUrl)) throw new Error(`"${loginUrl}" is not a login URL. Use https://login.salesforce.com, https://test.salesforce.com or your My Domain URL.`);
    ctx.log.info(`Authorizing ${alias ?? 'an org'} by web login at ${loginUrl}.`);
    authorized = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Changeline: log in to Salesforce in your browser…', cancellable: true },
      (_p, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        return sf
          .authorizeWithWebLogin({ loginUrl, alias, signal: abort.signal, openUrl: (url) => vscode.env.openExternal(vscode.Uri.parse(url)) })
          .finally(() => sub.dispose());
      },
    );
  }
  const auths = await ctx.model.loadAuthorizations(true);
  if (alias && auths.some((a) => a.aliases.includes(alias))) return alias;
  const username = (authorized as { username?: unknown } | undefined)?.username;
  if (typeof username === 'string' && auths.some((a) => a.username === username)) return username;
  throw new Error('The org was authorized but is not listed among authorized orgs. Try Refresh Environments.');
}

async function pickOrg(ctx: Ctx, inPipeline: Set<string>): Promise<{ org?: string; authorize?: AddEnvironmentOptions } | undefined> {
  const auths = await ctx.model.loadAuthorizations(true);
  type Item = vscode.QuickPickItem & { auth?: OrgAuthorization; action?: 'web' | 'token' };
  const items: Item[] = auths
    .filter((a) => !inPipeline.has(a.username) && !a.aliases.some((x) => inPipeline.has(x)))
    .map((a) => ({ label: a.aliases[0] ?? a.username, description: a.username, detail: a.instanceUrl, auth: a }));
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(globe) Authorize a new org in the browser…', action: 'web' },
    { label: '$(key) Authorize a new org with an access token…', action: 'token' },
  );
  const pick = await ctx.prompts.pick(items, { title: 'Add Environment', placeHolder: 'Choose an authorized org, or authorize a new one', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.auth) return { org: pick.auth.aliases[0] ?? pick.auth.username };
  if (pick.action === 'web') {
    const loginUrl = await ctx.prompts.input({
      title: 'Login URL',
      prompt: 'https://test.salesforce.com for sandboxes, https://login.salesforce.com for production, or your My Domain URL',
      value: ctx.config().defaultLoginUrl,
      ignoreFocusOut: true,
      validateInput: validUrl,
    });
    if (!loginUrl) return undefined;
    const alias = await askAlias(ctx);
    if (!alias) return undefined;
    return { authorize: { loginUrl, alias: alias.trim() } };
  }
  const instanceUrl = await ctx.prompts.input({ title: 'Instance URL', prompt: 'The org URL, e.g. https://mydomain.my.salesforce.com', ignoreFocusOut: true, validateInput: validUrl });
  if (!instanceUrl) return undefined;
  const accessToken = await ctx.prompts.input({
    title: 'Access token',
    prompt: 'A session id / access token for this org. It is kept in the sf keychain, never in settings or logs.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length >= 10 ? undefined : 'Paste the whole access token.'),
  });
  if (!accessToken) return undefined;
  const alias = await askAlias(ctx);
  if (!alias) return undefined;
  return { authorize: { instanceUrl: instanceUrl.trim(), accessToken: accessToken.trim(), alias: alias.trim() } };
}

export async function addEnvironment(ctx: Ctx, options: AddEnvironmentOptions = {}): Promise<Environment | undefined> {
  const uri = requirePipelineUri(ctx);
  const text = await readPipelineText(uri);
  const current = text.trim() ? parsePipeline(text).environments : [];
  if (text.trim() && !parsePipeline(text).pipeline) throw new Error('The pipeline file has errors (see the Problems panel). Fix them before adding an environment.');

  let org = options.org;
  if (!org && (options.accessToken !== undefined || options.loginUrl !== undefined)) org = await authorize(ctx, options);
  if (!org) {
    const picked = await pickOrg(ctx, new Set(current.map((e) => e.org)));
    if (!picked) return undefined;
    org = picked.org ?? (await authorize(ctx, picked.authorize!));
  }

  const auth = ctx.model.authorizationFor(org);
  const guess = draftPipeline([auth ?? { username: org, aliases: [org], instanceUrl: '', orgId: '' }]).environments[0];
  const taken = new Set(current.map((e) => e.name));
  let name = options.name;
  if (!name) {
    let suggestion = guess.name;
    for (let i = 2; taken.has(suggestion); i++) suggestion = `${guess.name} ${i}`;
    name = await ctx.prompts.input({
      title: 'Environment name',
      value: suggestion,
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() ? 'Enter a name.' : taken.has(v.trim()) ? `"${v.trim()}" is already in the pipeline.` : undefined),
    });
    if (!name) return undefined;
  }
  name = name.trim();
  if (taken.has(name)) throw new Error(`An environment named "${name}" is already in the pipeline.`);

  let role = options.role;
  if (!role) {
    const guessed = guessRole(org, auth?.isSandbox);
    const pick = await ctx.prompts.pick(
      ROLES.map((r) => ({ label: r, description: r === guessed ? '(guessed)' : undefined })).sort((a, b) => (a.label === guessed ? -1 : b.label === guessed ? 1 : 0)),
      { title: `Role of ${name}`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    role = pick.label;
  }
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`Invalid role "${role}". Use one of ${ROLES.join(', ')}.`);

  const env: Environment = { name, org, role };
  const next = options.next ?? nextFor(role, current);
  if (next && role !== 'production') env.next = next;
  await writePipelineText(ctx, uri, addEnvironmentToText(text, env));
  ctx.log.info(`Added environment ${name} (${org}, ${role}).`);
  return env;
}

/** The first environment of the lowest role above `role`, if any. */
function nextFor(role: Role, envs: Environment[]): string | undefined {
  const higher = envs.filter((e) => ROLE_RANK[e.role] > ROLE_RANK[role]).sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role]);
  return higher[0]?.name;
}

export async function removeEnvironment(ctx: Ctx, target?: { name: string } | string, options: { confirm?: boolean } = {}): Promise<boolean> {
  const name = typeof target === 'string' ? target : target?.name;
  if (!name) throw new Error('Choose an environment in the Environments view to remove.');
  const uri = requirePipelineUri(ctx);
  if (options.confirm !== false) {
    const answer = await ctx.prompts.confirm(
      `Remove "${name}" from the pipeline?`,
      'Remove',
      'Environments that promoted to it will promote to its next environment. The org stays authorized.',
    );
    if (!answer) return false;
  }
  await writePipelineText(ctx, uri, removeEnvironmentFromText(await readPipelineText(uri), name));
  ctx.log.info(`Removed environment ${name}.`);
  return true;
}

/**
 * Log In Again: a new web login for the org an environment points at (same alias, the org's own
 * URL as the login URL), then a fresh session for the environment. Resolves false when the
 * environment is unknown; a cancelled or failed login rejects.
 */
export async function logInAgain(ctx: Ctx, environment: string): Promise<boolean> {
  const env = ctx.model.environment(environment);
  if (!env) return false;
  const auth = ctx.model.authorizationFor(env.org);
  const alias = auth ? (auth.aliases.includes(env.org) ? env.org : auth.aliases[0]) : ALIAS_RE.test(env.org) ? env.org : undefined;
  await authorize(ctx, { loginUrl: auth?.instanceUrl || ctx.config().defaultLoginUrl, alias });
  ctx.sessions.reset(environment);
  ctx.model.invalidateConnections();
  return true;
}

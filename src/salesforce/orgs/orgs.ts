/**
 * Orgs authorized on this machine (the sf CLI state under ~/.sfdx), opening connections to them,
 * saving an access-token authorization, and removing one.
 */
import { AuthInfo, AuthRemover, Org, StateAggregator } from '@salesforce/core';
import type { OrgAuthorization } from '../../core/orgs';
import { bind, OrgConnection } from '../connection';
import { SalesforceError, toSalesforceError } from '../errors';

/** Re-reads the sf state from disk: the CLI may have changed it since we last looked. */
async function freshState(): Promise<StateAggregator> {
  await StateAggregator.clearInstanceAsync();
  return StateAggregator.getInstance();
}

/** Every authorization the sf CLI (or Changeline) has stored, without tokens. */
export async function listAuthorizations(): Promise<OrgAuthorization[]> {
  try {
    const state = await freshState();
    const auths = await AuthInfo.listAllAuthorizations();
    const out: OrgAuthorization[] = [];
    for (const a of auths) {
      const stored = state.orgs.get(a.username) as { isSandbox?: boolean; isScratch?: boolean; orgId?: string } | undefined;
      const isSandbox = a.isSandbox ? true : typeof stored?.isSandbox === 'boolean' ? stored.isSandbox : undefined;
      out.push({
        username: a.username,
        aliases: a.aliases ?? [],
        instanceUrl: a.instanceUrl ?? '',
        orgId: a.orgId ?? stored?.orgId ?? '',
        isSandbox,
        isDevHub: a.isDevHub,
        isScratch: a.isScratchOrg || stored?.isScratch || undefined,
      });
    }
    out.sort((x, y) => (x.aliases[0] ?? x.username).localeCompare(y.aliases[0] ?? y.username));
    return out;
  } catch (e) {
    throw toSalesforceError(e, { action: 'Reading the authorized orgs' });
  }
}

/** `preferredAlias`: the alias the caller used, when it is one (an org may have several). */
async function handleFor(org: Org, label: string, preferredAlias?: string): Promise<OrgConnection> {
  const connection = org.getConnection();
  const username = connection.getUsername() ?? org.getUsername() ?? label;
  const state = await StateAggregator.getInstance();
  const aliases = state.aliases.getAll(username);
  const alias = preferredAlias && aliases.includes(preferredAlias) ? preferredAlias : (aliases[0] ?? undefined);
  const handle = new OrgConnection(username, alias, connection.instanceUrl, org.getOrgId());
  return bind(handle, { org, connection });
}

/** Opens a connection to an authorized org, by alias or username. No request is made yet. */
export async function connect(aliasOrUsername: string): Promise<OrgConnection> {
  const name = aliasOrUsername?.trim();
  if (!name) throw new SalesforceError('invalid-request', 'An org alias or username is required.');
  try {
    const state = await freshState();
    const username = state.aliases.resolveUsername(name);
    // exists() only sees auth files read before (core's OrgAccessor cache): read this one first.
    await state.orgs.read(username, false, false);
    if (!(await state.orgs.hasFile(username))) {
      throw new SalesforceError(
        'unknown-org',
        `"${name}" is not an authorized org. Authorize it (Changeline: Add Environment…, or \`sf org login web --alias ${name}\`) or fix the pipeline file.`,
        undefined,
        name,
      );
    }
    const org = await Org.create({ aliasOrUsername: name });
    return await handleFor(org, name, name);
  } catch (e) {
    throw toSalesforceError(e, { org: name });
  }
}

export interface TokenAuthorization {
  accessToken: string;
  instanceUrl: string;
  alias?: string;
  /** Login URL saved with the auth (defaults to the instance URL). */
  loginUrl?: string;
}

function checkUrl(url: string, what: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
    return u.origin;
  } catch {
    throw new SalesforceError('invalid-request', `The ${what} "${url}" is not a valid http(s) URL, e.g. https://mydomain.my.salesforce.com.`);
  }
}

function checkAlias(alias: string | undefined): string | undefined {
  const a = alias?.trim();
  if (!a) return undefined;
  if (/\s/.test(a)) throw new SalesforceError('invalid-request', `The alias "${a}" contains spaces; use letters, digits, - or _.`);
  return a;
}

/** Sets the alias on a saved authorization (like `sf alias set`), replacing its old target. */
export async function setAlias(alias: string, username: string): Promise<void> {
  const state = await StateAggregator.getInstance();
  await state.aliases.setAndSave(alias, username);
}

/**
 * Saves an authorization from an access token, as `sf org login access-token` does (the user,
 * org id and org type are read from the org), and sets the alias. Returns an open connection.
 */
export async function authorizeWithToken(options: TokenAuthorization): Promise<OrgConnection> {
  const accessToken = options.accessToken?.trim();
  if (!accessToken) throw new SalesforceError('invalid-request', 'An access token is required.');
  const instanceUrl = checkUrl(options.instanceUrl, 'instance URL');
  const alias = checkAlias(options.alias);
  const label = alias ?? instanceUrl;
  try {
    const authInfo = await AuthInfo.create({
      accessTokenOptions: { accessToken, instanceUrl, loginUrl: options.loginUrl ? checkUrl(options.loginUrl, 'login URL') : instanceUrl },
    });
    await authInfo.save();
    if (alias) await authInfo.handleAliasAndDefaultSettings({ alias, setDefault: false, setDefaultDevHub: false });
    await StateAggregator.clearInstanceAsync();
    const org = await Org.create({ aliasOrUsername: authInfo.getUsername() });
    return await handleFor(org, label, alias);
  } catch (e) {
    throw toSalesforceError(e, { org: label, action: 'Authorizing with the access token' });
  }
}

/** Forgets a stored authorization (auth file, aliases, config entries), like `sf org logout`. */
export async function removeAuthorization(aliasOrUsername: string): Promise<void> {
  try {
    const state = await freshState();
    const username = state.aliases.resolveUsername(aliasOrUsername);
    if (!(await state.orgs.hasFile(username))) throw new SalesforceError('unknown-org', `"${aliasOrUsername}" is not an authorized org.`);
    const remover = await AuthRemover.create();
    await remover.removeAuth(username);
  } catch (e) {
    throw toSalesforceError(e, { org: aliasOrUsername });
  }
}

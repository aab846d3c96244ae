/**
 * Browser login (OAuth web-server flow) through the library's WebOAuthServer: a local callback
 * server on the sf CLI's port (1717 unless sfdx-project.json sets oauthLocalPort).
 */
import { Org, WebOAuthServer } from '@salesforce/core';
import { connect } from './orgs';
import type { OrgConnection } from '../connection';
import { cancelled, SalesforceError, toSalesforceError } from '../errors';

export interface WebLoginOptions {
  /** https://login.salesforce.com, https://test.salesforce.com or a My Domain URL. */
  loginUrl: string;
  alias?: string;
  /** Connected app; the sf CLI's own ("PlatformCLI") by default. */
  clientId?: string;
  /** Opens the authorization page in the user's browser. */
  openUrl: (url: string) => unknown;
  signal?: AbortSignal;
}

interface ClosableServer {
  webServer?: { close(): void };
}

/** Logs in through the browser, saves the authorization, sets the alias, and returns a connection. */
export async function authorizeWithWebLogin(options: WebLoginOptions): Promise<OrgConnection> {
  let loginUrl: string;
  try {
    loginUrl = new URL(options.loginUrl).origin;
  } catch {
    throw new SalesforceError('invalid-request', `The login URL "${options.loginUrl}" is not valid, e.g. https://login.salesforce.com.`);
  }
  const alias = options.alias?.trim() || undefined;
  if (alias && /\s/.test(alias)) throw new SalesforceError('invalid-request', `The alias "${alias}" contains spaces; use letters, digits, - or _.`);
  if (options.signal?.aborted) throw cancelled(alias ?? loginUrl);

  let server: WebOAuthServer | undefined;
  const stop = (): void => {
    try {
      (server as unknown as ClosableServer | undefined)?.webServer?.close();
    } catch {
      /* already closed */
    }
  };
  try {
    server = await WebOAuthServer.create({ oauthConfig: { loginUrl, clientId: options.clientId } });
    await server.start();
    const authorized = server.authorizeAndSave();
    const aborted = new Promise<never>((_, reject) => {
      options.signal?.addEventListener('abort', () => reject(cancelled(alias ?? loginUrl)), { once: true });
    });
    aborted.catch(() => undefined);
    await options.openUrl(server.getAuthorizationUrl());
    const authInfo = await Promise.race([authorized, aborted]);
    const username = authInfo.getUsername();
    if (alias) await authInfo.handleAliasAndDefaultSettings({ alias, setDefault: false, setDefaultDevHub: false });
    await Org.create({ aliasOrUsername: username });
    return await connect(alias ?? username);
  } catch (e) {
    stop();
    if (/EADDRINUSE|portInUse|PortInUse/i.test(String((e as Error)?.name) + String((e as Error)?.message))) {
      throw new SalesforceError(
        'invalid-request',
        'The local login port (1717) is in use, probably by another login in progress. Finish or close it and try again.',
        String(e),
      );
    }
    throw toSalesforceError(e, { org: alias ?? loginUrl, action: 'Logging in through the browser' });
  }
}

import { AuthInfo, Connection } from '@salesforce/core';
import type { EmulatedOrg } from '../../emulator';

/**
 * A plain @salesforce/core Connection to an emulated org with one of its users' tokens, without
 * Changeline's own layer: the emulator's suites test the emulator against the libraries alone.
 */
export async function rawConnection(org: EmulatedOrg, token = org.admin.accessToken): Promise<Connection> {
  const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken: token, instanceUrl: org.instanceUrl, loginUrl: org.instanceUrl } });
  return Connection.create({ authInfo });
}

/**
 * Child process: authorizes orgs in the sf state folder of $HOME (a throwaway folder chosen by the
 * caller, never the user's own) under the given aliases, through the product's own Salesforce layer
 * (`authorizeWithToken`, as `sf org login access-token` would). Reads `{"orgs":[{alias, instanceUrl,
 * accessToken}]}` on stdin; prints `{"authorized":[{alias, username}]}`. Tokens are never printed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { authorizeWithToken } from '../../src/salesforce';

interface OrgToAuthorize {
  alias: string;
  instanceUrl: string;
  accessToken: string;
}

async function main(): Promise<void> {
  if (!process.env.HOME || path.resolve(process.env.HOME) === path.resolve(os.userInfo().homedir)) {
    throw new Error('HOME must point at a throwaway folder, not the real home');
  }
  const input = JSON.parse(fs.readFileSync(0, 'utf8')) as { orgs?: OrgToAuthorize[] };
  if (!Array.isArray(input.orgs) || input.orgs.length === 0) throw new Error('stdin must be {"orgs":[...]}');
  const authorized: Array<{ alias: string; username: string }> = [];
  for (const o of input.orgs) {
    const r = await authorizeWithToken({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: o.alias });
    authorized.push({ alias: o.alias, username: r.username });
  }
  process.stdout.write(JSON.stringify({ authorized }) + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`authorize-orgs: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  },
);

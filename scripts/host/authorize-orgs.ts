/**
 * Child process: authorizes orgs in the sf state folder of $HOME (a throwaway folder chosen by the
 * caller, never the user's own) under the given aliases. Reads `{"orgs":[{alias, instanceUrl,
 * accessToken}]}` on stdin; prints `{"via":..., "authorized":[{alias, username}]}`. Tokens are never printed.
 *
 * Uses the product's own Salesforce layer (out/src/salesforce/index.js `authorizeWithToken`) when it is
 * built, else @salesforce/core directly (AuthInfo + alias), which is what `sf org login access-token` does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './paths';

interface OrgToAuthorize {
  alias: string;
  instanceUrl: string;
  accessToken: string;
}

type ProductAuthorize = (o: { accessToken: string; instanceUrl: string; alias: string }) => Promise<{ username: string }>;

function productLayer(): ProductAuthorize | undefined {
  const file = path.join(ROOT, 'out', 'src', 'salesforce', 'index.js');
  if (!fs.existsSync(file)) return undefined;
  const mod = require(file) as { authorizeWithToken?: ProductAuthorize };
  return typeof mod.authorizeWithToken === 'function' ? mod.authorizeWithToken : undefined;
}

async function viaCore(o: OrgToAuthorize): Promise<{ username: string }> {
  const { AuthInfo } = require('@salesforce/core') as typeof import('@salesforce/core');
  const auth = await AuthInfo.create({
    accessTokenOptions: { accessToken: o.accessToken, instanceUrl: o.instanceUrl, loginUrl: o.instanceUrl },
  });
  await auth.save();
  await auth.handleAliasAndDefaultSettings({ alias: o.alias, setDefault: false, setDefaultDevHub: false });
  return { username: auth.getUsername() };
}

async function main(): Promise<void> {
  if (!process.env.HOME || path.resolve(process.env.HOME) === path.resolve(require('node:os').userInfo().homedir)) {
    throw new Error('HOME must point at a throwaway folder, not the real home');
  }
  const input = JSON.parse(fs.readFileSync(0, 'utf8')) as { orgs?: OrgToAuthorize[] };
  if (!Array.isArray(input.orgs) || input.orgs.length === 0) throw new Error('stdin must be {"orgs":[...]}');
  const product = process.env.CHANGELINE_AUTHORIZE_VIA === 'core' ? undefined : productLayer();
  const authorized: Array<{ alias: string; username: string }> = [];
  for (const o of input.orgs) {
    const r = product ? await product({ accessToken: o.accessToken, instanceUrl: o.instanceUrl, alias: o.alias }) : await viaCore(o);
    authorized.push({ alias: o.alias, username: r.username });
  }
  process.stdout.write(JSON.stringify({ via: product ? 'changeline' : '@salesforce/core', authorized }) + '\n');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`authorize-orgs: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  },
);

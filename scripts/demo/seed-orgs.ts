/**
 * Child process of the demo: gives a fresh demo something to show, through the product's own layer.
 * - Installs change tracking in Dev and UAT and makes three change requests in Dev (one submitted,
 *   one draft, one pushed to UAT).
 * - Deploys the demo project (argv[2], the workspace folder) to Dev as it is, and to UAT with UAT's
 *   older InvoiceService, so "Diff with Environment…" has something to show.
 * Runs with HOME = the demo's private sf state folder; does nothing when Dev already has tracking
 * (a demo restarted on its saved orgs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoOrgVariant } from './workspace';
import { changeStatus, createRequest, type ChangeRequest } from '../../src/core/change-requests';
import { connect, deploy, installTracking, listComponents, syncChangeRequest, testConnection, trackingStatus, trackingStore } from '../../src/salesforce';

async function main(): Promise<void> {
  if (!process.env.HOME || path.resolve(process.env.HOME) === path.resolve(os.userInfo().homedir)) {
    throw new Error('HOME must point at the demo folder, not the real home');
  }
  const dev = await connect('dev');
  const uat = await connect('uat');
  if ((await trackingStatus(dev)).installed) return;
  await installTracking(dev);
  await installTracking(uat);
  const devUser = (await testConnection(dev)).userId;
  const uatUser = (await testConnection(uat)).userId;
  const classes = (await listComponents(dev, ['ApexClass'])).map((c) => ({ type: c.type, fullName: c.fullName }));
  const objects = (await listComponents(dev, ['CustomObject'])).map((c) => ({ type: c.type, fullName: c.fullName }));
  const ctx = { store: trackingStore(dev), actor: { userId: devUser } };
  const made = async (o: Awaited<ReturnType<typeof createRequest>>): Promise<ChangeRequest> => {
    if (!o.ok) throw new Error(o.reason);
    return o.cr;
  };
  const discount = await made(
    await createRequest(ctx, {
      name: 'Invoice discount for contract customers',
      changeType: 'Feature',
      overview: 'Customers with an active contract get 5% off every invoice.\nTest: create an invoice for a contract account.',
      customizations: classes.slice(0, 2),
      proposedCustomizations: [{ type: 'CustomField', fullName: 'Invoice__c.Discount__c' }],
    }),
  );
  await made(await changeStatus(ctx, discount, 'Pending approval'));
  await made(
    await createRequest(ctx, {
      name: 'Fix rounding of tax amounts',
      changeType: 'Bug fix',
      overview: 'Tax is rounded per line instead of per invoice.',
      customizations: classes.slice(2, 3),
    }),
  );
  const layout = await made(
    await createRequest(ctx, { name: 'Territory object for the field team', changeType: 'Configuration', customizations: objects.slice(0, 1) }),
  );
  const pushed = await syncChangeRequest({
    from: dev,
    fromEnvironment: 'Dev',
    to: uat,
    toEnvironment: 'UAT',
    crId: layout.id!,
    direction: 'push',
    actorFrom: devUser,
    actorTo: uatUser,
  });
  if (!pushed.ok) throw new Error(pushed.reason);
  const workspace = process.argv[2];
  if (workspace) {
    await deployProject(dev, workspace, demoOrgVariant('dev'));
    await deployProject(uat, workspace, demoOrgVariant('uat'));
  }
}

/** Deploys the project's force-app, with `variant`'s files in place of the project's, to `org`. */
async function deployProject(org: Awaited<ReturnType<typeof connect>>, workspace: string, variant: Record<string, string>): Promise<void> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-demo-'));
  try {
    fs.cpSync(path.join(workspace, 'force-app'), path.join(copy, 'force-app'), { recursive: true });
    fs.copyFileSync(path.join(workspace, 'sfdx-project.json'), path.join(copy, 'sfdx-project.json'));
    for (const [rel, text] of Object.entries(variant)) fs.writeFileSync(path.join(copy, rel), text);
    const result = await deploy(org, { sourcePaths: [path.join(copy, 'force-app')], testLevel: 'NoTestRun' });
    if (!result.success) throw new Error(`deploying the demo project failed: ${result.errorMessage ?? result.failures.map((f) => f.problem).join('; ')}`);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`seed-orgs: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  },
);

/**
 * Add to Package (after Check Dependencies; from the deployment panel's dependency results or a
 * quick pick of the missing ones): adds the chosen components to the record and retrieves them from
 * the source into its stored package. An approved record goes back for approval, its new package
 * in place.
 */
import { deploymentLabel, describeNeed } from '../../core/deployments';
import type { ComponentRef } from '../../core/metadata-types';
import type { Ctx } from '../../ctx';
import { checkDependencies } from '../../workflows/deploy/dependencies';
import { addToPackage as add, loadPackage } from '../../workflows/deploy/records';
import { withCancellableProgress } from '../progress';
import { deploymentTarget } from './records';

const isRef = (c: unknown): c is ComponentRef =>
  typeof c === 'object' && c !== null && typeof (c as ComponentRef).type === 'string' && typeof (c as ComponentRef).fullName === 'string' && !!(c as ComponentRef).type && !!(c as ComponentRef).fullName;

/** `{ environment, id, components? }`: without components, the missing dependencies are checked and offered in a quick pick. */
export async function addToPackage(ctx: Ctx, arg?: unknown) {
  const t = deploymentTarget(arg, 'to add components to its package');
  const given = typeof arg === 'object' && arg !== null && Array.isArray((arg as { components?: unknown }).components) ? (arg as { components: unknown[] }).components : undefined;
  let components: ComponentRef[];
  if (given) {
    if (!given.every(isRef)) throw new Error('Each component to add needs a metadata type and a full name (e.g. CustomField Account.Tier__c).');
    components = given;
  } else {
    const { record, report } = await withCancellableProgress(
      'Checking dependencies',
      async (opts) => {
        const { record, zip } = await loadPackage(ctx, t.environment, t.id);
        return { record, report: await checkDependencies(ctx, { targetEnv: record.targetEnvironment, sourceEnv: record.sourceEnvironment, zip }, opts) };
      },
      { cancelledAs: 'Check Dependencies' },
    );
    if (report.missing.length === 0) {
      void ctx.prompts.info(`${deploymentLabel(record)} misses no dependency in ${record.targetEnvironment}: nothing to add.`);
      return undefined;
    }
    const picked = await ctx.prompts.pickMany(
      report.missing.map((m) => ({ label: `${m.ref.type} ${m.ref.fullName}`, description: m.neededBy.map(describeNeed).join('; '), picked: true, ref: m.ref })),
      { title: `Add to the package of ${deploymentLabel(record)} (retrieved from ${record.sourceEnvironment})`, canPickMany: true, ignoreFocusOut: true },
    );
    if (!picked || picked.length === 0) return undefined;
    components = picked.map((p) => p.ref);
  }
  const outcome = await withCancellableProgress('Adding to the package', (opts) => add(ctx, t.environment, t.id, components, opts), { cancelledAs: 'Add to Package' });
  ctx.deployments.refresh(t.environment);
  ctx.deploymentPanels.refresh(t.environment);
  if (!outcome.ok) {
    void ctx.prompts.warn(outcome.conflict ? `${outcome.reason} Nothing was saved; try again.` : outcome.reason);
    return outcome;
  }
  const d = outcome.record;
  const names = outcome.added.map((c) => `${c.type} ${c.fullName}`).join(', ');
  const message = outcome.added.length === 0
    ? `${deploymentLabel(d)} has those components already.`
    : `Added ${names} to ${deploymentLabel(d)}${outcome.retrieved ? `, retrieved from ${d.sourceEnvironment} into its package` : ''}. It is ${d.status}${d.status === 'Pending approval' ? ': what it deploys changed, so it goes back to its approvers' : ''}.`;
  ctx.log.info(message);
  void ctx.prompts.info(message);
  return outcome;
}

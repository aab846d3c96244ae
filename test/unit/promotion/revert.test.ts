import * as assert from 'node:assert/strict';
import { canRedeploy, packageFingerprint, planRevert, revertSelection, type HistoryRow, type RevertInput } from '../../../src/core/promotion';
import { c, deploy, digests, refused } from './fixtures';

/** A Changeline deploy to UAT that changed Greeter and created Badge and Tier__c. */
function scenario(extra: Partial<RevertInput> = {}): RevertInput {
  const deployment = deploy(
    '2024-05-02T10:00:00Z',
    [c('ApexClass', 'Greeter', { state: 'Changed' }), c('LightningComponentBundle', 'badge', { state: 'Created' }), c('CustomField', 'Account.Tier__c', { state: 'Created' }), c('ApexClass', 'Same', { state: 'Unchanged' })],
    { id: '0AfDEPLOY', createdByName: 'Bob Stone' },
  );
  return {
    environment: 'UAT',
    deployment,
    snapshot: digests({ 'ApexClass:Greeter': 'g1', 'LightningComponentBundle:badge': undefined, 'CustomField:Account.Tier__c': undefined, 'ApexClass:Same': 's' }),
    afterDeploy: digests({ 'ApexClass:Greeter': 'g2', 'LightningComponentBundle:badge': 'b1', 'CustomField:Account.Tier__c': 't1', 'ApexClass:Same': 's' }),
    current: digests({ 'ApexClass:Greeter': 'g2', 'LightningComponentBundle:badge': 'b1', 'CustomField:Account.Tier__c': 't1', 'ApexClass:Same': 's' }),
    history: [deployment, deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'Greeter')])],
    ...extra,
  };
}
const byName = (plan: ReturnType<typeof planRevert>) => new Map(plan.items.map((i) => [i.component.fullName, i]));

describe('promotion: revert the latest deployment', () => {
  it('overrides what the deploy changed and deletes what it created; unchanged components are left alone', () => {
    const plan = planRevert(scenario());
    assert.ok(plan.verdict.ok);
    const items = byName(plan);
    assert.equal(items.get('Greeter')!.action, 'Override');
    assert.equal(items.get('Greeter')!.note, 'Restore the version from before the deploy.');
    assert.equal(items.get('badge')!.action, 'Delete');
    assert.equal(items.get('Account.Tier__c')!.action, 'Delete');
    assert.equal(items.has('Same'), false);
    const sel = revertSelection(plan);
    assert.ok(sel.ok);
    assert.deepEqual(sel.override.map((x) => x.fullName), ['Greeter']);
    assert.deepEqual(sel.delete.map((x) => x.fullName).sort(), ['Account.Tier__c', 'badge']);
  });

  it('re-creates a component the deploy deleted', () => {
    const s = scenario();
    s.deployment.components!.push(c('ApexClass', 'Legacy', { state: 'Deleted' }));
    (s.snapshot as Map<string, string | undefined>).set('ApexClass:Legacy', 'l1');
    const item = byName(planRevert(s)).get('Legacy')!;
    assert.equal(item.action, 'Override');
    assert.equal(item.deployed, 'Deleted');
    assert.match(item.note, /The deploy deleted it: re-create the version from before the deploy/);
  });

  it('flags a component changed in the target since the deploy and needs an explicit choice', () => {
    const s = scenario({ current: digests({ 'ApexClass:Greeter': 'g3-hotfix', 'LightningComponentBundle:badge': 'b1', 'CustomField:Account.Tier__c': 't1' }) });
    const plan = planRevert(s);
    assert.ok(plan.verdict.ok);
    const greeter = byName(plan).get('Greeter')!;
    assert.equal(greeter.drift, true);
    assert.equal(greeter.note, 'Changed in UAT since the deploy: choose to override it anyway or skip it.');
    assert.equal(byName(plan).get('badge')!.drift, false);
    refused(revertSelection(plan), /ApexClass Greeter changed in UAT since the deploy: choose for each whether to revert it anyway or skip it/);
    const skip = revertSelection(plan, new Map([['ApexClass:Greeter', 'skip']]));
    assert.ok(skip.ok);
    assert.deepEqual(skip.override, []);
    assert.deepEqual(skip.skipped.map((x) => x.fullName), ['Greeter']);
    const anyway = revertSelection(plan, new Map([['ApexClass:Greeter', 'revert']]));
    assert.ok(anyway.ok);
    assert.deepEqual(anyway.override.map((x) => x.fullName), ['Greeter']);
  });

  it('a created component deleted by hand since is already restored and skipped', () => {
    const s = scenario({ current: digests({ 'ApexClass:Greeter': 'g2', 'CustomField:Account.Tier__c': 't1' }) });
    const badge = byName(planRevert(s)).get('badge')!;
    assert.equal(badge.alreadyRestored, true);
    assert.equal(badge.note, 'Already deleted from UAT.');
    const sel = revertSelection(planRevert(s));
    assert.ok(sel.ok);
    assert.deepEqual(sel.skipped.map((x) => x.fullName), ['badge']);
  });

  it('is blocked by a later out-of-band deploy that touched the same components, naming them and who', () => {
    const s = scenario();
    s.history = [...s.history, deploy('2024-05-03T08:00:00Z', [c('ApexClass', 'Greeter')], { source: 'out-of-band', createdByName: 'Carol Diaz' })];
    const reason = refused(planRevert(s).verdict, /ApexClass Greeter changed again in the deployment of 2024-05-03 08:00 UTC by Carol Diaz \(out of band\), after this one: reverting would undo that too/);
    assert.doesNotMatch(reason, /badge/);
    refused(revertSelection(planRevert(s)), /changed again/);
  });

  it('a later out-of-band deploy of other components does not block; one with unknown components is warned about', () => {
    const s = scenario();
    s.history = [
      ...s.history,
      deploy('2024-05-03T08:00:00Z', [c('ApexClass', 'Unrelated')], { source: 'out-of-band' }),
      deploy('2024-05-03T09:00:00Z', undefined, { source: 'out-of-band', createdByName: 'Carol Diaz' }),
    ];
    const plan = planRevert(s);
    assert.ok(plan.verdict.ok);
    assert.deepEqual(plan.warnings, ['The deployment of 2024-05-03 09:00 UTC by Carol Diaz (out of band) came after this one and its components are unknown; the drift check shows what changed since.']);
  });

  it('only the latest Changeline deployment can be reverted', () => {
    const s = scenario();
    s.history = [...s.history, deploy('2024-05-04T08:00:00Z', [c('ApexClass', 'Other')], { createdByName: 'Dana Lee' })];
    refused(planRevert(s).verdict, /Only the latest deployment to UAT can be reverted, and the deployment of 2024-05-04 08:00 UTC by Dana Lee came after this one/);
  });

  it('a later deployment that was itself reverted no longer counts', () => {
    const s = scenario();
    const later = deploy('2024-05-04T08:00:00Z', [c('ApexClass', 'Greeter')]);
    const undo: HistoryRow = { ...deploy('2024-05-04T09:00:00Z', [c('ApexClass', 'Greeter')]), revertOf: later.id };
    s.history = [...s.history, later, undo];
    assert.ok(planRevert(s).verdict.ok);
  });

  it('later validations and failed deploys do not count', () => {
    const s = scenario();
    s.history = [...s.history, deploy('2024-05-04T08:00:00Z', [c('ApexClass', 'Greeter')], { checkOnly: true }), deploy('2024-05-04T09:00:00Z', [c('ApexClass', 'Greeter')], { status: 'Failed' })];
    assert.ok(planRevert(s).verdict.ok);
  });

  it('refuses a deployment already reverted, a validation, a failed deploy and an out-of-band one', () => {
    const s = scenario();
    refused(planRevert({ ...s, deployment: { ...s.deployment, reverted: { by: 'Bob Stone', at: '2024-05-05T10:00:00Z' } } }).verdict, /already reverted by Bob Stone \(2024-05-05 10:00 UTC\). Its package cannot be deployed again as is/);
    const revertRow: HistoryRow = { ...deploy('2024-05-05T10:00:00Z', [c('ApexClass', 'Greeter')], { createdByName: 'Dana Lee' }), revertOf: s.deployment.id };
    refused(planRevert({ ...s, history: [...s.history, revertRow] }).verdict, /already reverted by Dana Lee/);
    refused(planRevert({ ...s, deployment: { ...s.deployment, checkOnly: true } }).verdict, /This was a validation: it changed nothing in UAT/);
    refused(planRevert({ ...s, deployment: { ...s.deployment, status: 'Failed' } }).verdict, /did not succeed \(Failed\): Salesforce rolled it back/);
    refused(planRevert({ ...s, deployment: { ...s.deployment, source: 'out-of-band' } }).verdict, /Changeline reverts only its own deployments/);
  });

  it('refuses when the snapshot lacks a component the deploy changed', () => {
    const s = scenario({ snapshot: digests({ 'LightningComponentBundle:badge': undefined, 'CustomField:Account.Tier__c': undefined }) });
    refused(planRevert(s).verdict, /snapshot taken before this deployment lacks ApexClass Greeter/);
  });

  it('a reverted package cannot be deployed again as is', () => {
    const reverted = [{ packageId: '068PKG', deploymentId: '0AfDEPLOY', environment: 'UAT', by: 'Bob Stone', at: '2024-05-05T10:00:00Z' }];
    refused(canRedeploy({ id: '068PKG', name: 'Package of DR-00007' }, reverted), /Package of DR-00007 was deployed to UAT and reverted by Bob Stone \(2024-05-05 10:00 UTC\), so it cannot be deployed again as is. Retrieve the components again/);
    assert.ok(canRedeploy({ id: '068NEW' }, reverted).ok);
  });

  it('the same package files give the same fingerprint, whatever their order; another file or content gives another', () => {
    const a = packageFingerprint({ 'unpackaged/classes/A.cls': 'd1', 'unpackaged/package.xml': 'p1' });
    assert.equal(packageFingerprint({ 'unpackaged/package.xml': 'p1', 'unpackaged/classes/A.cls': 'd1' }), a);
    assert.notEqual(packageFingerprint({ 'unpackaged/classes/A.cls': 'd2', 'unpackaged/package.xml': 'p1' }), a);
    assert.notEqual(packageFingerprint({ 'unpackaged/classes/A.cls': 'd1' }), a);
  });
});

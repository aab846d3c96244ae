import * as assert from 'node:assert/strict';
import { behindPairs, behindText, deploymentsBehind, syncAdvice, type OrgDeployment } from '../../../src/core/promotion';
import { c, deploy, digests, PARALLEL, THREE } from './fixtures';

function behind(history: OrgDeployment[], upper: Record<string, string | undefined>, lower: Record<string, string | undefined>, since?: string) {
  return deploymentsBehind({ lower: 'Dev', upper: 'UAT', history, upperDigests: digests(upper), lowerDigests: digests(lower), since });
}

describe('promotion: deployments behind', () => {
  it('counts the deployments whose components differ in the lower environment, oldest first, with who, when and what differs', () => {
    const d1 = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'Greeter')], { createdByName: 'Ana Ruiz', message: 'greeting', crNumbers: ['CR-00001'] });
    const d2 = deploy('2024-05-02T10:00:00Z', [c('CustomField', 'Account.Tier__c'), c('ApexClass', 'Same')]);
    const r = behind([d2, d1], { 'ApexClass:Greeter': 'g2', 'CustomField:Account.Tier__c': 't1', 'ApexClass:Same': 's' }, { 'ApexClass:Greeter': 'g1', 'ApexClass:Same': 's' });
    assert.equal(r.count, 2);
    assert.deepEqual(r.deployments.map((e) => e.deployment.id), [d1.id, d2.id]);
    assert.equal(r.deployments[0].deployment.createdByName, 'Ana Ruiz');
    assert.deepEqual(r.deployments[0].deployment.crNumbers, ['CR-00001']);
    assert.deepEqual(r.deployments[1].differing, [{ type: 'CustomField', fullName: 'Account.Tier__c' }]);
    assert.equal(behindText(r), 'Dev is 2 deployments behind UAT');
    assert.equal(syncAdvice('Dev', 'UAT', r.count), 'UAT has 2 deployments that Dev does not have. Sync Dev with UAT first (recommended), or send anyway.');
  });

  it('does not count a deployment already present in the lower org', () => {
    const present = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'Greeter'), c('ApexPage', 'Home')]);
    const missing = deploy('2024-05-02T10:00:00Z', [c('ApexClass', 'Billing')]);
    const r = behind([present, missing], { 'ApexClass:Greeter': 'g', 'ApexPage:Home': 'h', 'ApexClass:Billing': 'b' }, { 'ApexClass:Greeter': 'g', 'ApexPage:Home': 'h' });
    assert.deepEqual(r.deployments.map((e) => e.deployment.id), [missing.id]);
    assert.equal(behindText(r), 'Dev is 1 deployment behind UAT');
  });

  it('counts out-of-band deployments like Changeline ones', () => {
    const sfCli = deploy('2024-05-03T09:00:00Z', [c('Flow', 'Onboarding')], { source: 'out-of-band', createdByName: 'Carol Diaz' });
    const r = behind([sfCli], { 'Flow:Onboarding': 'f2' }, { 'Flow:Onboarding': 'f1' });
    assert.equal(r.count, 1);
    assert.equal(r.deployments[0].deployment.source, 'out-of-band');
    assert.deepEqual(r.deployments[0].differing, [{ type: 'Flow', fullName: 'Onboarding' }]);
  });

  it('counts an out-of-band deployment with unknown components, and says so', () => {
    const changeSet = deploy('2024-05-03T09:00:00Z', undefined, { source: 'out-of-band' });
    const r = behind([changeSet], {}, {});
    assert.equal(r.count, 1);
    assert.equal(r.deployments[0].componentsUnknown, true);
    assert.equal(behindText(r), 'Dev is 1 deployment behind UAT (1 with components unknown)');
  });

  it('never counts validations, failed or cancelled deploys', () => {
    const comps = [c('ApexClass', 'Greeter')];
    const history = [
      deploy('2024-05-01T10:00:00Z', comps, { checkOnly: true }),
      deploy('2024-05-01T11:00:00Z', comps, { status: 'Failed' }),
      deploy('2024-05-01T12:00:00Z', comps, { status: 'Canceled' }),
      deploy('2024-05-01T13:00:00Z', undefined, { status: 'Failed', source: 'out-of-band' }),
    ];
    assert.equal(behind(history, { 'ApexClass:Greeter': 'g2' }, { 'ApexClass:Greeter': 'g1' }).count, 0);
  });

  it('counts a partly succeeded deploy by the components that went in, not the failed ones', () => {
    const partial = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'Good', { state: 'Changed' }), c('ApexClass', 'Bad', { state: 'Failed' })], { status: 'SucceededPartial' });
    assert.equal(behind([partial], { 'ApexClass:Good': 'g', 'ApexClass:Bad': 'b1' }, { 'ApexClass:Good': 'g', 'ApexClass:Bad': 'b0' }).count, 0);
    const r = behind([partial], { 'ApexClass:Good': 'g2', 'ApexClass:Bad': 'b1' }, { 'ApexClass:Good': 'g', 'ApexClass:Bad': 'b0' });
    assert.deepEqual(r.deployments[0].differing, [{ type: 'ApexClass', fullName: 'Good' }]);
  });

  it('counts only deployments after the baseline (the last sync)', () => {
    const before = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'A')]);
    const after = deploy('2024-05-05T10:00:00Z', [c('ApexClass', 'B')]);
    const r = behind([before, after], { 'ApexClass:A': 'a2', 'ApexClass:B': 'b2' }, { 'ApexClass:A': 'a1', 'ApexClass:B': 'b1' }, '2024-05-03T00:00:00Z');
    assert.deepEqual(r.deployments.map((e) => e.deployment.id), [after.id]);
  });

  it('a deletion is behind while the lower org still has the component', () => {
    const del = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'Legacy', { state: 'Deleted' })]);
    assert.equal(behind([del], {}, { 'ApexClass:Legacy': 'l' }).count, 1);
    assert.equal(behind([del], {}, {}).count, 0);
  });

  it('a component created in the upper org and absent below is behind', () => {
    const created = deploy('2024-05-01T10:00:00Z', [c('LightningComponentBundle', 'tierBadge', { state: 'Created' })]);
    assert.equal(behind([created], { 'LightningComponentBundle:tierBadge': 'x' }, {}).count, 1);
  });

  it('an earlier deployment whose version the lower org has is present even after a later one changed the component', () => {
    const d1 = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'Greeter', { digest: 'g1' })]);
    const d2 = deploy('2024-05-02T10:00:00Z', [c('ApexClass', 'Greeter', { digest: 'g2' })]);
    const r = behind([d1, d2], { 'ApexClass:Greeter': 'g2' }, { 'ApexClass:Greeter': 'g1' });
    assert.deepEqual(r.deployments.map((e) => e.deployment.id), [d2.id]);
    assert.equal(behind([d1, d2], { 'ApexClass:Greeter': 'g2' }, { 'ApexClass:Greeter': 'g2' }).count, 0);
  });

  it('reads 500 deployments over 10,000 components in one pass', () => {
    const upper = new Map<string, string>();
    const lower = new Map<string, string>();
    for (let i = 0; i < 10000; i++) {
      upper.set(`ApexClass:C${i}`, `u${i}`);
      lower.set(`ApexClass:C${i}`, i % 1000 === 0 ? `l${i}` : `u${i}`);
    }
    const history = Array.from({ length: 500 }, (_, d) =>
      deploy(new Date(Date.UTC(2024, 0, 1) + d * 60000).toISOString(), Array.from({ length: 20 }, (_, j) => c('ApexClass', `C${d * 20 + j}`))),
    );
    const r = deploymentsBehind({ lower: 'Dev', upper: 'UAT', history, upperDigests: upper, lowerDigests: lower });
    assert.equal(r.count, 10); // components 0, 1000, …, 9000 differ: one per 50 deployments
    assert.deepEqual(r.deployments[1].differing, [{ type: 'ApexClass', fullName: 'C1000' }]);
  });

  it('pairs each environment with the one above it', () => {
    assert.deepEqual(behindPairs(THREE()), [
      { lower: 'Dev', upper: 'UAT' },
      { lower: 'UAT', upper: 'Production' },
    ]);
    assert.deepEqual(behindPairs(PARALLEL()).map((p) => `${p.lower}→${p.upper}`), ['Dev1→UAT', 'Dev2→UAT', 'UAT→Production']);
  });
});

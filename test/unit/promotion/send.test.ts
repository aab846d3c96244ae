import * as assert from 'node:assert/strict';
import { canSend, changedSinceLastSend, promotionTargets, sendAction, sendLabel, syncAdvice } from '../../../src/core/promotion';
import { digests, PARALLEL, pipeline, refused, THREE } from './fixtures';

const names = (envs: Array<{ name: string }>) => envs.map((e) => e.name);

describe('promotion: send rules per pipeline shape', () => {
  it('Dev → UAT → Production: each environment sends to the next one only', () => {
    const p = THREE();
    assert.deepEqual(names(promotionTargets(p, 'Dev')), ['UAT']);
    assert.deepEqual(names(promotionTargets(p, 'UAT')), ['Production']);
    assert.ok(canSend(p, 'Dev', 'UAT').ok);
    assert.ok(canSend(p, 'UAT', 'Production').ok);
  });

  it('with an intermediate environment nothing goes straight to production, and the refusal names the allowed target', () => {
    const reason = refused(canSend(THREE(), 'Dev', 'Production'), /Nothing goes straight to Production from Dev/);
    assert.match(reason, /Send to UAT instead/);
  });

  it('refuses sending down or sideways, naming the allowed target', () => {
    refused(canSend(THREE(), 'UAT', 'Dev'), /Changes climb the pipeline: Dev is not above UAT. Send to Production instead/);
    const sideways = refused(canSend(PARALLEL(), 'Dev1', 'Dev2'), /Dev2 is not above Dev1/);
    assert.match(sideways, /Send to UAT instead/);
  });

  it('refuses skipping a stage that is not production', () => {
    const p = pipeline([
      { name: 'Dev', role: 'development', next: 'QA' },
      { name: 'QA', role: 'integration', next: 'UAT' },
      { name: 'UAT', role: 'staging', next: 'Production' },
      { name: 'Production', role: 'production' },
    ]);
    refused(canSend(p, 'Dev', 'UAT'), /Dev → UAT skips a stage.*Send to QA instead/);
    refused(canSend(p, 'Dev', 'Production'), /Nothing goes straight to Production from Dev.*Send to QA instead/);
  });

  it('with only one environment besides production, it sends straight to production, even with no "next"', () => {
    const linked = pipeline([{ name: 'Sandbox', role: 'development', next: 'Production' }, { name: 'Production', role: 'production' }]);
    assert.ok(canSend(linked, 'Sandbox', 'Production').ok);
    const bare = pipeline([{ name: 'Sandbox', role: 'staging' }, { name: 'Production', role: 'production' }]);
    assert.deepEqual(names(promotionTargets(bare, 'Sandbox')), ['Production']);
    assert.equal(sendAction(bare, 'Sandbox').label, 'Send to Production…');
  });

  it('parallel sandboxes with no stage between them and production may send to it', () => {
    const p = pipeline([
      { name: 'Dev1', role: 'development', next: 'Production' },
      { name: 'Dev2', role: 'development', next: 'Production' },
      { name: 'Production', role: 'production' },
    ]);
    assert.ok(canSend(p, 'Dev1', 'Production').ok);
    assert.ok(canSend(p, 'Dev2', 'Production').ok);
  });

  it('an unconnected environment among several cannot send, and says how to connect it', () => {
    const p = pipeline([
      { name: 'Dev', role: 'development', next: 'UAT' },
      { name: 'Training', role: 'development' },
      { name: 'UAT', role: 'staging', next: 'Production' },
      { name: 'Production', role: 'production' },
    ]);
    const a = sendAction(p, 'Training');
    assert.deepEqual(a.targets, []);
    refused(a.verdict, /Training is not connected to a higher environment. Set its "next"/);
  });

  it('production sends nothing; lower environments catch up by back-deploy', () => {
    refused(sendAction(THREE(), 'Production').verdict, /Production is the last stage.*back-deploy/);
    refused(canSend(THREE(), 'Production', 'UAT'), /Production is the last stage/);
  });

  it('names unknown environments', () => {
    refused(canSend(THREE(), 'Dev', 'QA'), /"QA" is not an environment of the pipeline \(Dev, UAT, Production\)/);
  });

  it('labels name the target; production always reads "Production"', () => {
    const p = THREE();
    assert.equal(sendAction(p, 'Dev').label, 'Send to UAT…');
    assert.equal(sendAction(p, 'UAT').label, 'Send to Production…');
    const prod = { name: 'PROD-EU', org: 'p', role: 'production' as const };
    assert.equal(sendLabel([prod]), 'Send to Production (PROD-EU)…');
  });

  it('explicit connections to two environments of the next stage offer both', () => {
    const p = pipeline(
      [
        { name: 'Dev', role: 'development', next: 'UAT' },
        { name: 'UAT', role: 'staging', next: 'Production' },
        { name: 'Perf', role: 'staging', next: 'Production' },
        { name: 'Production', role: 'production' },
      ],
      [{ from: 'Dev', to: 'Perf' }],
    );
    const a = sendAction(p, 'Dev');
    assert.deepEqual(names(a.targets), ['UAT', 'Perf']);
    assert.equal(a.label, 'Send to UAT or Perf…');
    refused(canSend(p, 'Dev', 'Production'), /Send to UAT or Perf instead/);
  });
});

describe('promotion: nothing changed since the last send', () => {
  const current = digests({ 'ApexClass:Greeter': 'g2', 'CustomField:Account.Tier__c': 't1' });

  it('is available the first time', () => {
    const v = changedSinceLastSend('Dev', 'UAT', current);
    assert.ok(v.ok);
    assert.deepEqual(v.changed.sort(), ['ApexClass:Greeter', 'CustomField:Account.Tier__c']);
  });

  it('is disabled with a reason when every component is as it was sent', () => {
    const v = changedSinceLastSend('Dev', 'UAT', current, { digests: new Map(current), at: '2024-05-02T14:03:00.000Z' });
    const reason = refused(v, /Nothing changed in Dev since it was last sent to UAT \(2024-05-02 14:03 UTC\)/);
    assert.match(reason, /its 2 components are as they were sent/);
  });

  it('lists what changed, including a component deleted in the sender since', () => {
    const last = { digests: digests({ 'ApexClass:Greeter': 'g1', 'CustomField:Account.Tier__c': 't1', 'ApexClass:Old': 'o1' }) };
    const now = digests({ 'ApexClass:Greeter': 'g1', 'CustomField:Account.Tier__c': 't2', 'ApexClass:Old': undefined });
    const v = changedSinceLastSend('Dev', 'UAT', now, last);
    assert.ok(v.ok);
    assert.deepEqual(v.changed, ['CustomField:Account.Tier__c', 'ApexClass:Old']);
  });

  it('a component newly in scope is a change; one dropped from scope is not', () => {
    const last = { digests: digests({ 'ApexClass:Greeter': 'g1', 'ApexClass:Dropped': 'd1' }) };
    assert.ok(!changedSinceLastSend('Dev', 'UAT', digests({ 'ApexClass:Greeter': 'g1' }), last).ok);
    const v = changedSinceLastSend('Dev', 'UAT', digests({ 'ApexClass:Greeter': 'g1', 'ApexClass:New': 'n1' }), last);
    assert.ok(v.ok);
    assert.deepEqual(v.changed, ['ApexClass:New']);
  });

  it('refuses an empty send', () => {
    refused(changedSinceLastSend('Dev', 'UAT', new Map()), /nothing to send from Dev: no components are selected/);
  });
});

describe('promotion: sync before send', () => {
  it('recommends syncing, naming both environments and the count', () => {
    assert.equal(syncAdvice('Dev', 'UAT', 3), 'UAT has 3 deployments that Dev does not have. Sync Dev with UAT first (recommended), or send anyway.');
    assert.match(syncAdvice('Dev', 'UAT', 1)!, /^UAT has 1 deployment that Dev/);
  });
  it('says nothing when the sender is level', () => {
    assert.equal(syncAdvice('Dev', 'UAT', 0), undefined);
  });
});

import * as assert from 'node:assert/strict';
import { ignoreMark, isIgnored, netDifferences, netSelection, netSummary, setSelected, type NetInput } from '../../../src/core/back-deploy';
import { deploymentsBehind } from '../../../src/core/promotion';
import { c, deploy, digests, refused } from '../promotion/fixtures';

const kinds = (net: ReturnType<typeof netDifferences>) => Object.fromEntries(net.items.map((i) => [`${i.component.type}:${i.component.fullName}`, i.kind]));

function input(extra: Partial<NetInput> = {}): NetInput {
  const d1 = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'Greeter'), c('ApexClass', 'Same')], { id: 'D1' });
  const d2 = deploy('2024-05-02T10:00:00Z', [c('ApexClass', 'Greeter'), c('CustomField', 'Account.Tier__c', { state: 'Created' })], { id: 'D2' });
  const d3 = deploy('2024-05-03T10:00:00Z', [c('ApexClass', 'Legacy', { state: 'Deleted' })], { id: 'D3' });
  return {
    lower: 'Dev',
    upper: 'UAT',
    deployments: [d3, d1, d2],
    upperDigests: digests({ 'ApexClass:Greeter': 'g3', 'ApexClass:Same': 's', 'CustomField:Account.Tier__c': 't' }),
    lowerDigests: digests({ 'ApexClass:Greeter': 'g1', 'ApexClass:Same': 's', 'ApexClass:Legacy': 'l' }),
    ...extra,
  };
}

describe('back-deploy: net differences', () => {
  it('combines the deployments into new, changed and deleted components; identical ones are left out', () => {
    const net = netDifferences(input());
    assert.deepEqual(kinds(net), { 'ApexClass:Greeter': 'changed', 'ApexClass:Legacy': 'deleted', 'CustomField:Account.Tier__c': 'new' });
    assert.equal(net.identical, 1);
    assert.equal(netSummary(net), '3 components from UAT to Dev: 1 new, 1 changed, 1 deleted; 1 identical left out.');
    const sel = netSelection(net);
    assert.ok(sel.ok);
    assert.deepEqual(sel.deploy.map((x) => x.fullName), ['Greeter', 'Account.Tier__c']);
    assert.deepEqual(sel.delete.map((x) => x.fullName), ['Legacy']);
  });

  it('a later deployment wins for the same component', () => {
    const net = netDifferences(input());
    assert.deepEqual(net.items.find((i) => i.component.fullName === 'Greeter')!.deploymentIds, ['D1', 'D2']);
    const recreated = deploy('2024-05-04T10:00:00Z', [c('ApexClass', 'Legacy', { state: 'Created' })], { id: 'D4' });
    const later = netDifferences(input({ deployments: [...input().deployments, recreated], upperDigests: digests({ 'ApexClass:Greeter': 'g3', 'ApexClass:Legacy': 'l2' }) }));
    assert.equal(kinds(later)['ApexClass:Legacy'], 'changed');
    const deletedLast = netDifferences(
      input({
        deployments: [deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'X', { state: 'Created' })]), deploy('2024-05-02T10:00:00Z', [c('ApexClass', 'X', { state: 'Deleted' })])],
        upperDigests: digests({}),
        lowerDigests: digests({ 'ApexClass:X': 'x' }),
      }),
    );
    assert.deepEqual(kinds(deletedLast), { 'ApexClass:X': 'deleted' });
  });

  it('a component missing from the upper org that no deploy reported deleted is not deleted below', () => {
    const net = netDifferences(input({ upperDigests: digests({ 'ApexClass:Same': 's', 'CustomField:Account.Tier__c': 't' }) }));
    assert.deepEqual(net.notInUpper, [{ type: 'ApexClass', fullName: 'Greeter' }]);
    assert.equal(kinds(net)['ApexClass:Greeter'], undefined);
  });

  it('deselecting leaves components out of the one deployment; nothing selected is refused', () => {
    let net = setSelected(netDifferences(input()), ['ApexClass:Legacy'], false);
    const sel = netSelection(net);
    assert.ok(sel.ok);
    assert.deepEqual(sel.delete, []);
    net = setSelected(net, 'all', false);
    refused(netSelection(net), /Select at least one component to bring from UAT to Dev/);
    assert.ok(netSelection(setSelected(net, 'all', true)).ok);
  });

  it('says when the lower environment already has everything', () => {
    const net = netDifferences(input({ lowerDigests: input().upperDigests, deployments: input().deployments.slice(1) }));
    refused(netSelection(net), /Dev already has everything UAT deployed: nothing to bring down/);
  });

  it('flags work in progress (changed in the lower environment since its last sync) and deselects it', () => {
    const net = netDifferences(
      input({
        lastSync: { at: '2024-04-30T00:00:00Z', digests: digests({ 'ApexClass:Greeter': 'g0', 'ApexClass:Legacy': 'l' }) },
      }),
    );
    const greeter = net.items.find((i) => i.component.fullName === 'Greeter')!;
    assert.equal(greeter.selected, false);
    assert.equal(greeter.workInProgress, 'Changed in Dev since its last sync (2024-04-30 00:00 UTC): probably work in progress there.');
    assert.equal(net.items.find((i) => i.component.fullName === 'Legacy')!.selected, true);
    assert.match(netSummary(net), /1 in progress in Dev not selected/);
  });

  it('falls back on the last-modified date when the last sync kept no digest for it', () => {
    const net = netDifferences(
      input({
        lowerInfo: new Map([['ApexClass:Greeter', { lastModifiedDate: '2024-05-06T09:30:00Z', lastModifiedByName: 'Ana Ruiz' }], ['ApexClass:Legacy', { lastModifiedDate: '2024-04-01T00:00:00Z' }]]),
        lastSync: { at: '2024-05-05T00:00:00Z' },
      }),
    );
    const greeter = net.items.find((i) => i.component.fullName === 'Greeter')!;
    assert.equal(greeter.workInProgress, 'Changed in Dev by Ana Ruiz on 2024-05-06 09:30 UTC, after its last sync (2024-05-05 00:00 UTC): probably work in progress there.');
    assert.equal(greeter.selected, false);
    assert.equal(net.items.find((i) => i.component.fullName === 'Legacy')!.workInProgress, undefined);
  });

  it('before any sync, flags a component changed in the lower org after the upper environment last got it', () => {
    const info = new Map([
      ['ApexClass:Greeter', { lastModifiedDate: '2024-05-02T12:00:00Z' }], // after D2 (2024-05-02 10:00), the last to touch it
      ['CustomField:Account.Tier__c', { lastModifiedDate: '2024-05-09T00:00:00Z' }], // new in Dev's eyes: not in Dev, nothing to lose
    ]);
    const net = netDifferences(input({ lowerInfo: info, wipAfterLastDeployment: true }));
    const greeter = net.items.find((i) => i.component.fullName === 'Greeter')!;
    assert.equal(greeter.workInProgress, 'Changed in Dev on 2024-05-02 12:00 UTC, after UAT last got it (2024-05-02 10:00 UTC): probably work in progress there.');
    assert.equal(greeter.selected, false);
    const older = netDifferences(input({ lowerInfo: new Map([['ApexClass:Greeter', { lastModifiedDate: '2024-05-01T12:00:00Z' }]]), wipAfterLastDeployment: true }));
    assert.equal(older.items.find((i) => i.component.fullName === 'Greeter')!.workInProgress, undefined, 'changed before UAT got its version: just older');
    assert.equal(netDifferences(input({ lowerInfo: info })).items.find((i) => i.component.fullName === 'Greeter')!.workInProgress, undefined, 'without the option nothing is guessed');
  });

  it('a deployment with unknown components is reported, not guessed', () => {
    const net = netDifferences(input({ deployments: [...input().deployments, deploy('2024-05-04T10:00:00Z', undefined, { source: 'out-of-band' })] }));
    assert.equal(net.unknown.length, 1);
    assert.match(netSummary(net), /1 deployment with unknown components: compare the environments/);
  });

  it('takes the behind list as it comes: three deployments to UAT, Dev behind by two, one of them already present', () => {
    const history = [
      deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'A')]),
      deploy('2024-05-02T10:00:00Z', [c('ApexClass', 'B')]),
      deploy('2024-05-03T10:00:00Z', [c('ApexClass', 'A'), c('ApexClass', 'C')]),
    ];
    const upperDigests = digests({ 'ApexClass:A': 'a2', 'ApexClass:B': 'b', 'ApexClass:C': 'c' });
    const lowerDigests = digests({ 'ApexClass:A': 'a1', 'ApexClass:B': 'b' });
    const behind = deploymentsBehind({ lower: 'Dev', upper: 'UAT', history, upperDigests, lowerDigests });
    assert.equal(behind.count, 2);
    const net = netDifferences({ lower: 'Dev', upper: 'UAT', deployments: behind.deployments.map((e) => e.deployment), upperDigests, lowerDigests });
    assert.deepEqual(kinds(net), { 'ApexClass:A': 'changed', 'ApexClass:C': 'new' });
    const after = deploymentsBehind({ lower: 'Dev', upper: 'UAT', history, upperDigests, lowerDigests: upperDigests });
    assert.equal(after.count, 0);
  });
});

describe('back-deploy: Ignore All', () => {
  const d1 = deploy('2024-05-01T10:00:00Z', [c('ApexClass', 'A')]);
  const d2 = deploy('2024-05-02T10:00:00Z', [c('ApexClass', 'B')]);

  it('stays dismissed until a newer deployment reaches the upper environment', () => {
    const mark = ignoreMark([d2, d1]);
    assert.equal(mark.deploymentId, d2.id);
    assert.equal(isIgnored(mark, [d1, d2]), true);
    assert.equal(isIgnored(mark, [d1]), true);
    const d3 = deploy('2024-05-03T10:00:00Z', [c('ApexClass', 'C')]);
    assert.equal(isIgnored(mark, [d1, d2, d3]), false);
  });

  it('a newer validation or failed deploy does not bring the notice back', () => {
    const mark = ignoreMark([d1, d2]);
    assert.equal(isIgnored(mark, [d1, d2, deploy('2024-05-03T10:00:00Z', [], { checkOnly: true }), deploy('2024-05-03T11:00:00Z', [], { status: 'Failed' })]), true);
  });

  it('uses the date when the ignored deployment has left the history', () => {
    const mark = { deploymentId: 'gone', at: '2024-05-02T10:00:00Z' };
    assert.equal(isIgnored(mark, [d1, d2]), true);
    assert.equal(isIgnored({ deploymentId: 'gone' }, [d1, d2]), false);
    assert.equal(isIgnored(undefined, [d1]), false);
  });
});

/**
 * The pure parts of the back-deploy workflows: compare statuses read as the net-difference rules'
 * digests, the last sync found among the lower org's records, the record a back-deploy is kept as,
 * the destructive manifest of its deletions, and Ignore All kept in a file store.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { netDifferences, setSelected } from '../../../src/core/back-deploy';
import type { CompareItem } from '../../../src/core/compare/types';
import type { DeploymentRecord } from '../../../src/core/deployments';
import { SILENT_LOG } from '../../../src/core/log-sink';
import { readZip, writeZip } from '../../../src/salesforce/compare/zip-codec';
import { destructiveMembers, manifestXml, withDestructiveChanges } from '../../../src/salesforce/metadata/package-destructive';
import { IgnoredNotices } from '../../../src/workflows/back-deploy/ignored';
import { digestsOf, lastBackDeploy, touchedComponents } from '../../../src/workflows/back-deploy/plan';
import { backDeployRecord } from '../../../src/workflows/back-deploy/run';
import { DeployError } from '../../../src/workflows/deploy/run';
import { NodeFileStore } from '../../../src/workflows/storage';
import { c, deploy } from '../promotion/fixtures';

const item = (fullName: string, status: CompareItem['status'], targetModified?: string): CompareItem => ({ type: 'ApexClass', fullName, status, ...(targetModified ? { targetModified } : {}) });

describe('back-deploy workflow parts', () => {
  it('reads compare statuses as digests: new, changed, deleted and identical come out of the net rules as such', () => {
    const d = digestsOf([item('New', 'only-in-source'), item('Changed', 'different', '2024-05-05T00:00:00Z'), item('Gone', 'only-in-target'), item('Same', 'identical')]);
    const dep = deploy('2024-05-01T00:00:00Z', [c('ApexClass', 'New'), c('ApexClass', 'Changed'), c('ApexClass', 'Gone', { state: 'Deleted' }), c('ApexClass', 'Same')]);
    const net = netDifferences({ lower: 'Dev', upper: 'UAT', deployments: [dep], upperDigests: d.upper, lowerDigests: d.lower, lowerInfo: d.info, lastSync: { at: '2024-05-02T00:00:00Z' } });
    assert.deepEqual(
      net.items.map((i) => [i.component.fullName, i.kind, i.selected]),
      [
        ['Changed', 'changed', false],
        ['Gone', 'deleted', true],
        ['New', 'new', true],
      ],
    );
    assert.equal(net.identical, 1);
    assert.match(net.items[0].workInProgress ?? '', /Changed in Dev on 2024-05-05 00:00 UTC, after its last sync/);
  });

  it('lists each touched component once and leaves failed ones out', () => {
    const a = deploy('2024-05-01T00:00:00Z', [c('ApexClass', 'A'), c('ApexClass', 'B', { state: 'Failed' })]);
    const b = deploy('2024-05-02T00:00:00Z', [c('ApexClass', 'A'), c('CustomField', 'Account.X__c')]);
    assert.deepEqual(touchedComponents([a, b]), [
      { type: 'ApexClass', fullName: 'A' },
      { type: 'CustomField', fullName: 'Account.X__c' },
    ]);
  });

  it('finds the last sync: the newest deployed back-deploy from the same upper environment', () => {
    const rec = (over: Partial<DeploymentRecord>): DeploymentRecord => ({
      crId: '',
      sourceEnvironment: 'UAT',
      targetEnvironment: 'Dev',
      components: [],
      runTests: [],
      approvers: [],
      status: 'Deployed',
      backDeploy: { deployments: [], deletions: [], identical: 0, deselected: [] },
      ...over,
    });
    const fact = (completedAt: string) => ({ id: '0Af', startedAt: completedAt, completedAt, by: 'u', status: 'Succeeded' as const });
    const records = [
      rec({ number: 'DEP-3', deploy: fact('2024-05-09T00:00:00Z'), status: 'Failed' }),
      rec({ number: 'DEP-2', deploy: fact('2024-05-08T00:00:00Z'), sourceEnvironment: 'Production' }),
      rec({ number: 'DEP-1', deploy: fact('2024-05-05T00:00:00Z') }),
      rec({ number: 'DEP-0', deploy: fact('2024-05-01T00:00:00Z') }),
      rec({ number: 'DEP-X', deploy: fact('2024-05-10T00:00:00Z'), backDeploy: undefined }),
    ];
    assert.deepEqual(lastBackDeploy(records, 'UAT'), { at: '2024-05-05T00:00:00Z', record: 'DEP-1' });
    assert.equal(lastBackDeploy(records, 'Staging'), undefined);
  });

  it('keeps a back-deploy as one approved record: selected components, deletions and deselections said', () => {
    const d1 = deploy('2024-05-01T00:00:00Z', [c('ApexClass', 'New'), c('ApexClass', 'Gone', { state: 'Deleted' }), c('ApexClass', 'Mine')], { createdByName: 'Carol', message: 'Sprint 4' });
    const d = digestsOf([item('New', 'only-in-source'), item('Gone', 'only-in-target'), item('Mine', 'different')]);
    let net = netDifferences({ lower: 'Dev', upper: 'UAT', deployments: [d1], upperDigests: d.upper, lowerDigests: d.lower });
    net = setSelected(net, ['ApexClass:Mine'], false);
    const r = backDeployRecord(net, { lower: 'Dev', upper: 'UAT', deployments: [d1], net }, '005000000000001AAA', 'RunLocalTests');
    assert.equal(r.status, 'Approved');
    assert.equal(r.sourceEnvironment, 'UAT');
    assert.equal(r.targetEnvironment, 'Dev');
    assert.equal(r.testLevel, 'RunLocalTests');
    assert.deepEqual(r.components.map((x) => x.fullName), ['New', 'Gone']);
    assert.deepEqual(r.backDeploy?.deletions, [{ type: 'ApexClass', fullName: 'Gone' }]);
    assert.deepEqual(r.backDeploy?.deselected, [{ type: 'ApexClass', fullName: 'Mine' }]);
    assert.deepEqual(r.backDeploy?.deployments, [{ id: d1.id, at: '2024-05-01T00:00:00Z', by: 'Carol', message: 'Sprint 4' }]);
    const none = setSelected(net, 'all', false);
    assert.throws(() => backDeployRecord(none, { lower: 'Dev', upper: 'UAT', deployments: [d1], net: none }, 'u'), (e: unknown) => e instanceof DeployError && e.kind === 'refused' && /Select at least one component/.test(e.message));
  });

  it('puts deletions in destructiveChanges.xml beside the package.xml, and reads them back', () => {
    const zip = writeZip([
      ['unpackaged/package.xml', Buffer.from(manifestXml([{ type: 'ApexClass', fullName: 'New' }], '62.0'))],
      ['unpackaged/classes/New.cls', Buffer.from('public class New {}')],
    ]);
    const out = readZip(withDestructiveChanges(zip, [{ type: 'ApexClass', fullName: 'Gone' }, { type: 'CustomField', fullName: 'Account.A&B__c' }], '62.0'), 1e8);
    assert.deepEqual([...out.keys()].sort(), ['unpackaged/classes/New.cls', 'unpackaged/destructiveChanges.xml', 'unpackaged/package.xml']);
    const xml = out.get('unpackaged/destructiveChanges.xml')!.toString('utf8');
    assert.match(xml, /<members>Account\.A&amp;B__c<\/members>\s*<name>CustomField<\/name>/);
    assert.deepEqual(destructiveMembers(xml), [
      { type: 'ApexClass', fullName: 'Gone' },
      { type: 'CustomField', fullName: 'Account.A&B__c' },
    ]);
    const onlyDeletions = readZip(withDestructiveChanges(undefined, [{ type: 'ApexClass', fullName: 'Gone' }], '62.0'), 1e8);
    assert.deepEqual([...onlyDeletions.keys()].sort(), ['unpackaged/destructiveChanges.xml', 'unpackaged/package.xml']);
    assert.deepEqual(destructiveMembers(onlyDeletions.get('unpackaged/package.xml')!.toString('utf8')), [], 'an empty package.xml');
  });

  describe('Ignore All, kept in the workspace storage', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-ignore-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('stays ignored across instances until a newer deployment reaches the upper environment', async () => {
      const d1 = deploy('2024-05-01T00:00:00Z', [c('ApexClass', 'A')]);
      const d2 = deploy('2024-05-02T00:00:00Z', [c('ApexClass', 'B')]);
      await new IgnoredNotices(new NodeFileStore(dir), SILENT_LOG).ignore('Dev', 'UAT', [d1, d2]);
      const again = new IgnoredNotices(new NodeFileStore(dir), SILENT_LOG);
      assert.equal(await again.isIgnored('Dev', 'UAT', [d1, d2]), true);
      assert.equal(await again.isIgnored('Dev2', 'UAT', [d1, d2]), false, 'another pair is not ignored');
      const d3 = deploy('2024-05-03T00:00:00Z', [c('ApexClass', 'C')]);
      assert.equal(await again.isIgnored('Dev', 'UAT', [d1, d2, d3]), false, 'a newer deployment shows the notice again');
      await again.unignore('Dev', 'UAT');
      assert.equal(await again.isIgnored('Dev', 'UAT', [d1, d2]), false);
    });

    it('treats an unreadable file as nothing ignored, saying so in the log', async () => {
      fs.writeFileSync(path.join(dir, 'back-deploy-ignored.json'), '{not json');
      const warnings: string[] = [];
      const store = new IgnoredNotices(new NodeFileStore(dir), { ...SILENT_LOG, warn: (m: string) => warnings.push(m) });
      assert.equal(await store.isIgnored('Dev', 'UAT', [deploy('2024-05-01T00:00:00Z', [])]), false);
      assert.match(warnings[0] ?? '', /Could not read back-deploy-ignored\.json/);
    });
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { verifyChain } from '../../../src/core/audit/chain';
import { appendDeploymentHistory, deploymentEntriesForChange, transitionDeployment, type DeploymentRecord } from '../../../src/core/deployments';
import {
  digestsFileOf,
  fromDeployment,
  fromDeploymentHistoryEntry,
  toDeployment,
  toDeploymentHistoryEntry,
} from '../../../src/salesforce/tracking/deployment-records';
import { defaultTrackingFolder, DEPLOYMENT_HISTORY_OBJECT, DEPLOYMENT_OBJECT, DEPLOYMENT_VERSION_RULE_MARK, VERSION_RULE } from '../../../src/salesforce/tracking/schema';
import { ALICE, BOB, dep } from './fixtures';

/** A stored row as a query returns it: the written fields plus what the org sets. */
function row(d: DeploymentRecord, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Id: d.id, Name: d.number, Version__c: 3, CreatedById: ALICE.userId, LastModifiedDate: '2026-12-06T21:00:00.000+0000', ...fromDeployment(d), ...extra };
}

describe('deployment records: schema resources, record mapping and history', () => {
  const folder = defaultTrackingFolder();
  const read = (...p: string[]) => fs.readFileSync(path.join(folder, 'objects', ...p), 'utf8');

  it('ships the deployment object with DEP numbers, the version rule and a master-detail history', () => {
    assert.match(read(DEPLOYMENT_OBJECT, `${DEPLOYMENT_OBJECT}.object-meta.xml`), /<displayFormat>DEP-\{00000\}<\/displayFormat>/);
    const rule = read(DEPLOYMENT_OBJECT, 'validationRules', `${VERSION_RULE}.validationRule-meta.xml`);
    assert.match(rule, /<active>true<\/active>/);
    assert.match(rule, /BLANKVALUE\(Version__c, 0\) &lt;&gt; BLANKVALUE\(PRIORVALUE\(Version__c\), 0\) \+ 1/);
    assert.ok(/<errorMessage>([^<]*)<\/errorMessage>/.exec(rule)![1]!.startsWith(DEPLOYMENT_VERSION_RULE_MARK));
    const master = read(DEPLOYMENT_HISTORY_OBJECT, 'fields', 'Deployment__c.field-meta.xml');
    assert.match(master, /<type>MasterDetail<\/type>/);
    assert.match(master, new RegExp(`<referenceTo>${DEPLOYMENT_OBJECT}</referenceTo>`));
    assert.match(read(DEPLOYMENT_HISTORY_OBJECT, 'fields', 'Chain_Key__c.field-meta.xml'), /<unique>true<\/unique>/);
    const ps = fs.readFileSync(path.join(folder, 'permissionsets', 'Changeline_Tracking.permissionset-meta.xml'), 'utf8');
    const perms = (obj: string) => new RegExp(`<objectPermissions>((?:(?!</objectPermissions>)[\\s\\S])*<object>${obj}</object>[\\s\\S]*?)</objectPermissions>`).exec(ps)?.[1] ?? '';
    assert.match(perms(DEPLOYMENT_HISTORY_OBJECT), /<allowCreate>true<\/allowCreate>[\s\S]*<allowDelete>false<\/allowDelete>[\s\S]*<allowEdit>false<\/allowEdit>/);
    assert.match(perms(DEPLOYMENT_OBJECT), /<allowDelete>true<\/allowDelete>/, 'drafts can be deleted');
  });

  it('a record survives the trip to the org and back, facts and package included', () => {
    const d = dep('Approved', {
      testLevel: 'RunSpecifiedTests',
      runTests: ['GreeterTest'],
      package: { fileId: '069000000000001AAA', retrievedAt: '2026-12-06T20:59:58.000Z', retrievedBy: ALICE.userId, componentCount: 2, digests: { 'unpackaged/classes/Greeter.cls': 'ab' } },
      validation: { id: '0Af000000000001AAA', startedAt: '2026-12-06T21:00:00.000Z', by: ALICE.userId, checkOnly: true, testLevel: 'RunSpecifiedTests', success: true },
      dependencyCheck: { at: '2026-12-06T21:00:00.000Z', by: BOB.userId, missing: 1, sources: ['static scan'] },
    });
    const back = toDeployment(row(d, { Package_Retrieved_At__c: '2026-12-06T20:59:58.000+0000' }));
    assert.deepEqual(back, { ...d, version: 3, lastModified: '2026-12-06T21:00:00.000+0000' });
  });

  it("a large package's digests kept in their own file: the facts hold its pointer, and the record reads whole with the digests given back", () => {
    const digests = { 'unpackaged/classes/Greeter.cls': 'ab', 'unpackaged/package.xml': 'cd' };
    const d = dep('Approved', { package: { fileId: '069000000000001AAA', retrievedAt: '2026-12-06T20:59:58.000Z', retrievedBy: ALICE.userId, componentCount: 2, digests } });
    const file = { document: '069000000000002AAA', version: '068000000000002AAA', sha256: 'ee', chars: 80 };
    const r = row(d, { Package_Retrieved_At__c: '2026-12-06T20:59:58.000+0000', ...fromDeployment(d, file) });
    assert.deepEqual(JSON.parse(String(r.Facts__c)), { packageDigestsFile: file });
    assert.deepEqual(digestsFileOf(r), file);
    assert.deepEqual(toDeployment(r, digests), { ...d, version: 3, lastModified: '2026-12-06T21:00:00.000+0000' });
    assert.equal(toDeployment(r).package?.digests, undefined, 'without the file read, no digests are made up');
    assert.equal(digestsFileOf(row(d)), undefined, 'digests kept inline name no file');
  });

  it('a record without package or facts clears them in the org', () => {
    const fields = fromDeployment(dep('Draft'));
    assert.equal(fields.Package_Document_Id__c, null);
    assert.equal(fields.Facts__c, null);
    assert.equal(fields.Test_Level__c, null);
    const back = toDeployment(row(dep('Draft')));
    assert.equal(back.package, undefined);
    assert.equal(back.validation, undefined);
  });

  it('a component list edited into nonsense outside Changeline is a clear error', () => {
    assert.throws(() => toDeployment(row(dep('Draft'), { Components__c: '[{"type":1}]' })), /Components__c of deployment record DEP-00042 is not a component list Changeline can read .*fix or clear it in the org/);
    assert.throws(() => toDeployment(row(dep('Draft'), { Facts__c: 'not json' })), /Facts__c of deployment record DEP-00042 is not a JSON object/);
  });

  it('history entries record edits and decisions, and the chain holds across the org mapping', () => {
    const draft = dep('Draft');
    const submitted = transitionDeployment(draft, 'Pending approval', { actor: ALICE });
    assert.ok(submitted.ok);
    const approved = transitionDeployment(submitted.record, 'Approved', { actor: BOB, comment: ' Ready ' });
    assert.ok(approved.ok);
    const drafts = [
      ...deploymentEntriesForChange(draft, { ...submitted.record, testLevel: 'RunLocalTests' }, ALICE.userId, '2026-12-06T21:00:00.000Z'),
      ...deploymentEntriesForChange(submitted.record, approved.record, BOB.userId, '2026-12-06T21:01:00.000Z', ' Ready '),
    ];
    assert.deepEqual(drafts.map((e) => e.action), ['edited', 'status', 'approved']);
    assert.equal(drafts[2].details.comment, 'Ready');
    assert.deepEqual(deploymentEntriesForChange(draft, { ...draft }, ALICE.userId, 'x'), []);
    const chain = appendDeploymentHistory([], drafts);
    const stored = chain.map((e) => toDeploymentHistoryEntry(fromDeploymentHistoryEntry('a02000000000001AAA', e)));
    assert.equal(verifyChain(stored), undefined);
    assert.equal(fromDeploymentHistoryEntry('a02000000000001AAA', chain[1]).Chain_Key__c, 'a02000000000001AAA:2');
    stored[1] = { ...stored[1], details: { ...stored[1].details, comment: 'edited in the org' } };
    assert.equal(verifyChain(stored), 1);
  });

  it('a change to a list of thousands of components is recorded as what was added and removed, small enough for a history entry', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ type: 'ApexClass', fullName: `C${i}` }));
    const before = dep('Draft', { components: many });
    const after = { ...before, components: [...many.slice(1), { type: 'ApexPage', fullName: 'Added' }] };
    const [edited] = deploymentEntriesForChange(before, after, ALICE.userId, '2026-12-06T21:00:00.000Z');
    const [change] = edited.details.changes!;
    assert.deepEqual(
      { old: change.old, new: change.new, added: change.added, removed: change.removed, addedCount: change.addedCount, removedCount: change.removedCount },
      { old: '10000 components', new: '10000 components', added: [{ type: 'ApexPage', fullName: 'Added' }], removed: [{ type: 'ApexClass', fullName: 'C0' }], addedCount: 1, removedCount: 1 },
    );
    assert.ok(JSON.stringify(edited.details).length < 131_072);
    const small = deploymentEntriesForChange(dep('Draft'), { ...dep('Draft'), components: [] }, ALICE.userId, 'x')[0].details.changes![0];
    assert.deepEqual(small.new, [], 'a short list is kept whole, as before');
  });
});

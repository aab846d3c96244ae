/**
 * What the tree shows while an environment's change requests are read, when its org cannot be
 * reached, and the questions the status commands ask (comment for a rejection), in the real
 * extension host against the emulated orgs.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChangeRequest, Outcome } from '../../src/core/change-requests';
import type { ChangelineApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/nodes';
import { testEmulator } from './index';
import { label, pipelineUri, readText, writeText } from './support';
import { changeRequestSuite, create, envChildren, groupRows, run, stamp } from './changeRequestsSupport';


describe('Change request tree states and questions', function () {
  this.timeout(120_000);
  const suite = changeRequestSuite(['UAT']);
  const prompts = suite.prompts;
  let api: ChangelineApi;
  before(() => (api = suite.api));

  /** Puts back a pipeline file a test changed. */
  let restorePipeline: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await restorePipeline?.();
    restorePipeline = undefined;
    testEmulator().org('uat').faults.clear();
    await testEmulator().org('uat').setDown(false);
    api.sessions.reset('UAT');
    api.changeRequests.refresh('UAT');
  });

  it('environments expand to their change requests, with a loading row while they are read', async () => {
    api.provider.getChildren();
    const node = api.provider.nodeFor('UAT')!;
    assert.equal((api.provider.getTreeItem(node) as vscode.TreeItem).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    testEmulator().org('uat').faults.latencyMs = 300;
    api.changeRequests.refresh('UAT');
    const first = (api.provider.getChildren(node) as TreeNode[]).map((n) => api.provider.getTreeItem(n) as vscode.TreeItem).filter((i) => !['deployments', 'deploymentLog', 'deploymentQueue'].includes(i.contextValue ?? ''));
    // Read before: the groups stay (what is expanded stays expanded) above the loading row.
    assert.equal(first.map(label).at(-1), 'Reading change requests…');
    assert.ok(first.slice(0, -1).every((i) => i.contextValue === 'crGroup'), first.map(label).join(', '));
    const after = await envChildren(api, 'UAT');
    assert.ok(after.length > 0 && after.every((r) => r.item.contextValue === 'crGroup' || r.item.contextValue === 'crHint'), after.map((r) => r.label).join(', '));
  });

  it('status groups keep their tree ids while counts change (a new CR, a refresh): an expanded group stays expanded', async () => {
    const node = (api.provider.getChildren(), api.provider.nodeFor('UAT')!);
    await create('UAT', stamp('Group before'));
    const before = await envChildren(api, 'UAT');
    const draft = before.find((r) => r.item.id === 'crGroup:UAT:Draft');
    assert.ok(draft, before.map((r) => r.item.id).join(', '));
    const drafts = (l: string) => Number(/^Draft \((\d+)\+?\)$/.exec(l)?.[1]);
    // What VS Code is given each time the environment's rows change: the Draft group is always there, under the same id.
    const seen: string[][] = [];
    const sub = api.provider.onDidChangeTreeData((n) => {
      if (n === undefined || n === node) seen.push((api.provider.getChildren(node) as TreeNode[]).map((c) => (api.provider.getTreeItem(c) as vscode.TreeItem).id ?? ''));
    });
    try {
      await create('UAT', stamp('Group after'));
      await api.changeRequests.whenLoaded('UAT');
      const after = await envChildren(api, 'UAT');
      assert.equal(drafts(after.find((r) => r.item.id === 'crGroup:UAT:Draft')!.label), drafts(draft.label) + 1, 'the count changed');
      api.changeRequests.refresh('UAT');
      await envChildren(api, 'UAT');
    } finally {
      sub.dispose();
    }
    assert.ok(seen.length >= 2, `the rows changed (${seen.length})`);
    for (const ids of seen) assert.ok(ids.includes('crGroup:UAT:Draft'), `the Draft group left the tree for a moment: ${ids.join(', ')}`);
  });

  it('an unreachable org shows why instead of a list, and the tree keeps working', async () => {
    await testEmulator().org('uat').setDown(true);
    api.sessions.reset('UAT');
    api.changeRequests.refresh('UAT');
    const rows = await envChildren(api, 'UAT');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].label, 'Cannot read change requests');
    assert.equal(rows[0].item.contextValue, 'crError');
    assert.match(String(rows[0].item.description), /uat/i);
    // The other environments still list theirs.
    assert.ok((await envChildren(api, 'Dev')).every((r) => r.item.contextValue !== 'crError'));

    await testEmulator().org('uat').setDown(false);
    api.changeRequests.refresh('UAT');
    assert.ok((await envChildren(api, 'UAT')).every((r) => r.item.contextValue !== 'crError'), 'a refresh reads it again once reachable');
  });

  it('a rejection asks for a comment (required) and keeps it; dismissing the question changes nothing', async () => {
    const name = stamp('Reject me');
    const cr = await run<ChangeRequest>('newChangeRequest', { environment: 'UAT', name, changeType: 'Bug fix', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] });
    assert.ok(cr?.id);
    const target = { environment: 'UAT', id: cr.id };
    assert.ok((await run<Outcome>('submitChangeRequest', target))?.ok);

    // The submitter cannot decide in UAT (staging: self-approval is off): refused before any question.
    assert.equal((await run<Outcome>('rejectChangeRequest', target))?.ok, false);
    assert.deepEqual(prompts.emptyInputChecks, []);
    assert.match(prompts.said.at(-1) ?? '', /^Self-approval is not allowed in UAT: someone other than its submitter must approve or reject CR-\d+/);

    // Named as its approver (set in the org), with "allowSelfApproval": true for UAT in the pipeline file, the admin may decide.
    const sf = await api.salesforce();
    const uat = await api.sessions.get('UAT');
    await sf.updateChangeRequest(uat.handle, { ...(await sf.getChangeRequest(uat.handle, cr.id!)), approvers: [uat.userId] });
    const pipeline = await readText(pipelineUri());
    restorePipeline = async () => {
      await writeText(pipelineUri(), pipeline);
      await api.model.reload();
    };
    const file = JSON.parse(pipeline) as { environments: Array<{ name: string; allowSelfApproval?: boolean }> };
    file.environments.find((e) => e.name === 'UAT')!.allowSelfApproval = true;
    await writeText(pipelineUri(), JSON.stringify(file, null, 2));
    await api.model.reload();
    assert.equal(api.model.approvalPolicy('UAT').selfApproval, true);
    prompts.clear();
    assert.equal(await run('rejectChangeRequest', target), undefined, 'dismissed: nothing happens');
    assert.deepEqual(prompts.emptyInputChecks, ['A comment is required.']);
    assert.equal((await sf.getChangeRequest(uat.handle, cr.id!)).status, 'Pending approval');

    // With the list loaded, the write re-reads that one CR, not the whole list.
    await envChildren(api, 'UAT');
    const kinds: string[] = [];
    const sub = api.changeRequests.onDidChange((env) => env === 'UAT' && kinds.push(api.changeRequests.state('UAT').kind));
    prompts.inputs = ['Needs a test class'];
    const rejected = await run<Outcome>('rejectChangeRequest', target);
    assert.ok(rejected?.ok, JSON.stringify(rejected));
    assert.equal(rejected.cr.status, 'Rejected');
    const history = await sf.readHistory(uat.handle, cr.id!);
    assert.equal(history.at(-1)?.details.comment, 'Needs a test class');
    await api.changeRequests.whenLoaded('UAT');
    sub.dispose();
    assert.ok(kinds.length > 0 && kinds.every((k) => k === 'ready'), `the list was read again: ${kinds.join(', ')}`);
    await run('filterChangeRequests', name);
    const rows = await groupRows(api, 'UAT', 'Rejected');
    assert.deepEqual(rows.map((r) => [r.label, r.item.contextValue]), [[cr.number, 'changeRequest.rejected']]);
  });
});

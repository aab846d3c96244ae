/**
 * Pull, push back, conflicts asked field by field, and long lists paged into the tree, in the
 * real extension host against the emulated orgs (shared with other test files: every test makes
 * its own uniquely named CRs and filters the tree down to them).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChangelineApi } from '../../src/extension';
import type { SyncOutcome } from '../../src/salesforce/tracking/sync';
import type { TrackingState } from '../../src/views/changeRequestsModel';
import { changeRequestSuite, create, envChildren, groupRows, run, stamp } from './changeRequestsSupport';
import { waitFor } from './support';


describe('Change request sync commands and paging', function () {
  this.timeout(120_000);
  const suite = changeRequestSuite(['Dev', 'UAT']);
  const prompts = suite.prompts;
  let api: ChangelineApi;
  before(() => (api = suite.api));
  afterEach(() => {
    for (const p of api.changeRequestPanels.all()) p.dispose();
  });

  /** The line the CR's editor shows under its title about where the copy came from. */
  async function originShown(environment: string, id: string): Promise<string | undefined> {
    const panel = api.changeRequestPanels.open(environment, id);
    const state = await waitFor(`the editor of ${id} in ${environment}`, () => panel.lastState(), 30_000);
    return state.cr.originLine;
  }

  it('pulls a CR picked from UAT into Dev, shows its parent, and a push back updates the original', async () => {
    const name = stamp('Pull me');
    const original = await create('UAT', name);
    prompts.picks = [original.number!];
    const pulled = await run<SyncOutcome[]>('pullChangeRequests', { environment: 'Dev', from: 'UAT' });
    assert.equal(pulled?.length, 1);
    const copy = pulled[0];
    assert.ok(copy.ok && copy.created, JSON.stringify(copy));
    assert.equal(copy.copy.origin?.number, original.number);
    assert.equal(prompts.said.at(-1), `Pulled 1 change request from UAT into Dev: ${copy.copy.number}.`);

    await run('filterChangeRequests', name);
    const rows = await groupRows(api, 'Dev', 'Draft');
    assert.deepEqual(rows.map((r) => r.label), [copy.copy.number]);
    const tooltip = rows[0].item.tooltip as vscode.MarkdownString;
    // The tooltip is markdown with the org's text escaped; read it back as text.
    const text = tooltip.value.replace(/\\/g, '').replace(/&nbsp;/g, ' ');
    assert.ok(text.includes(`Copied from: ${original.number} in UAT`), text);
    assert.equal(await originShown('Dev', copy.copy.id!), `Pulled from ${original.number} in UAT`);

    const back = await run<SyncOutcome>('pushChangeRequest', { environment: 'Dev', id: copy.copy.id, to: 'UAT' });
    assert.ok(back?.ok && !back.created, JSON.stringify(back));
    assert.equal(back.copy.id, original.id, 'the push went back to the original, not to a third copy');
    assert.deepEqual((await groupRows(api, 'UAT', 'Draft')).map((r) => r.label), [original.number]);
  });

  it('asks which side to keep for a field changed in both environments, then pushes with that choice', async () => {
    const name = stamp('Both sides');
    const source = await create('Dev', name);
    const first = await run<SyncOutcome>('pushChangeRequest', { environment: 'Dev', id: source.id, to: 'UAT' });
    assert.ok(first?.ok);
    assert.equal(await originShown('UAT', first.copy.id!), `Pushed from ${source.number} in Dev`, 'a pushed copy does not claim it was pulled');
    const sf = await api.salesforce();
    const dev = (await api.sessions.get('Dev')).handle;
    const uat = (await api.sessions.get('UAT')).handle;
    await sf.updateChangeRequest(uat, { ...(await sf.getChangeRequest(uat, first.copy.id!)), name: `${name} (UAT edit)` });
    await sf.updateChangeRequest(dev, { ...(await sf.getChangeRequest(dev, source.id!)), name: `${name} (Dev edit)` });

    // Dismissing the question writes nothing.
    const dismissed = await run('pushChangeRequest', { environment: 'Dev', id: source.id, to: 'UAT' });
    assert.equal(dismissed, undefined);
    assert.equal((await sf.getChangeRequest(uat, first.copy.id!)).name, `${name} (UAT edit)`);

    prompts.picks = ["Keep Dev's"];
    const second = await run<SyncOutcome>('pushChangeRequest', { environment: 'Dev', id: source.id, to: 'UAT' });
    assert.ok(second?.ok, JSON.stringify(second));
    assert.equal(prompts.picks.length, 0, 'the conflict was asked');
    assert.equal(second.copy.name, `${name} (Dev edit)`);
    assert.equal((await sf.getChangeRequest(uat, first.copy.id!)).name, `${name} (Dev edit)`);
  });

  it('pages a long list into the tree and shows long groups 200 at a time', async () => {
    const tag = stamp('Bulk');
    const sf = await api.salesforce();
    const dev = (await api.sessions.get('Dev')).handle;
    const row = (i: number) => ({ Title__c: `${tag} ${i}`, Change_Type__c: 'Other', Status__c: 'Draft', Customizations__c: '[]', Proposed_Customizations__c: '[]', Approvers__c: '' });
    for (let i = 0; i < 450; i += 200) {
      const results = await sf.createRecords(dev, 'Changeline_Change_Request__c', Array.from({ length: Math.min(200, 450 - i) }, (_, k) => row(i + k)), { allOrNone: true });
      assert.ok(results.every((r) => r.success));
    }
    const seen: TrackingState[] = [];
    const sub = api.changeRequests.onDidChange((env) => {
      if (env === 'Dev') seen.push(api.changeRequests.state('Dev'));
    });
    const pageSize = api.changeRequests.pageSize;
    try {
      api.changeRequests.pageSize = 200; // the smallest query batch an org gives
      api.changeRequests.refresh('Dev');
      await api.changeRequests.whenLoaded('Dev');
    } finally {
      api.changeRequests.pageSize = pageSize;
      sub.dispose();
    }
    // (The list read before stays shown, marked rereading, until the first new page arrives.)
    const partial = seen.find((s) => s.kind === 'ready' && !s.complete && !s.rereading);
    assert.ok(partial && partial.kind === 'ready' && partial.items.length === 200, 'the first page showed before the rest arrived');
    const final = api.changeRequests.state('Dev');
    assert.ok(final.kind === 'ready' && final.complete && final.items.length === final.total && final.total >= 450);

    await run('filterChangeRequests', tag);
    const groups = await envChildren(api, 'Dev');
    assert.deepEqual(groups.map((g) => g.label), ['Draft (450)']);
    const firstPage = api.provider.getChildren(groups[0].node)!.map((n) => api.provider.getTreeItem(n) as vscode.TreeItem);
    assert.equal(firstPage.length, 201);
    assert.equal(firstPage[200].label, 'Show more… (250 more)');
    const more = api.provider.getChildren(groups[0].node)![200];
    assert.equal((api.provider.getTreeItem(api.provider.getChildren(more)![200]) as vscode.TreeItem).label, 'Show more… (50 more)');
    assert.equal((await groupRows(api, 'Dev', 'Draft')).length, 450);
  });
});

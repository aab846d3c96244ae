/**
 * Change requests in the Environments tree and their commands, in the real extension host against
 * the emulated orgs (Dev → UAT → Production). The orgs are shared with other test files, so each
 * test makes its own CRs (unique names) and filters the tree down to them.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Outcome } from '../../src/core/change-requests';
import { newDraft } from '../../src/core/change-requests';
import type { ChangelineApi } from '../../src/extension';
import { validateChangeRequestName } from '../../src/commands/change-requests/crCreate';
import type { SyncOutcome } from '../../src/salesforce/tracking/sync';
import { testEmulator, testOrg } from './index';
import { pipelineUri, readText, waitFor, writeText } from './support';
import { changeRequestSuite, create, envChildren, groupRows, removeTracking, run, stamp } from './changeRequestsSupport';


describe('Change requests in the tree and their commands', function () {
  this.timeout(120_000);
  const suite = changeRequestSuite(['Dev', 'UAT']);
  const prompts = suite.prompts;
  let api: ChangelineApi;
  before(() => (api = suite.api));

  it('shows an org without tracking with the install action, and installs it through the command', async () => {
    const restore = removeTracking('dev');
    try {
      api.changeRequests.refresh('Dev');
      const rows = await envChildren(api, 'Dev');
      assert.deepEqual(
        rows.map((r) => [r.label, r.item.contextValue]),
        [['Change tracking not installed — Install…', 'trackingMissing']],
      );
      // The row's action passes the node itself, as the inline menu does.
      prompts.confirmAnswer = false;
      assert.equal(await run('installTracking', rows[0].node), undefined, 'declining the confirmation installs nothing');
      assert.match(prompts.said[0], /^Install Changeline's change tracking objects in Dev \(admin@dev\.changeline\.test\)\? This deploys 3 custom objects and a permission set, and gives you the permission set\.$/);
      prompts.confirmAnswer = true;
      const result = await run<{ success: boolean; access: unknown }>('installTracking', rows[0].node);
      assert.equal(result?.success, true);
      // The installer holds the permission set (without it the new fields are readable to nobody).
      assert.equal((result?.access as { permissionSet?: string })?.permissionSet, 'Changeline_Tracking');
      assert.ok(!('problem' in (result?.access as object)), JSON.stringify(result?.access));
      assert.match(prompts.said.at(-1)!, /^Change tracking is installed in Dev, and you hold its Changeline_Tracking permission set\. Give it to your approvers with "Grant Change Tracking Access…"\.$/);
      const after = await envChildren(api, 'Dev');
      assert.ok(!after.some((r) => r.item.contextValue === 'trackingMissing'), `still offered: ${after.map((r) => r.label).join(', ')}`);
    } finally {
      restore();
      api.changeRequests.refresh('Dev');
    }
  });

  it('Grant Change Tracking Access… gives a picked colleague the permission set, once', async () => {
    const sf = await api.salesforce();
    const { handle } = await api.sessions.get('UAT');
    const reviewer = testEmulator().info().orgs.find((o) => o.name === 'uat')!.users.find((u) => u.name === 'Rae Reviewer')!;
    const before = await sf.usersWithTrackingAccess(handle);
    assert.ok(!before.has(reviewer.id), 'the reviewer starts without access');
    prompts.clear();
    prompts.picks = ['Rae Reviewer'];
    const grants = await run('grantTrackingAccess', 'UAT');
    assert.deepEqual(grants, [{ userId: reviewer.id, outcome: 'assigned' }]);
    assert.ok(prompts.said.some((m) => m.startsWith('pick: Give access to change requests in UAT')), prompts.said.join('\n'));
    assert.equal(prompts.said.at(-1), 'Rae Reviewer can now use change requests in UAT.');
    assert.ok((await sf.usersWithTrackingAccess(handle)).has(reviewer.id));
    // Everyone active holds it now: nothing is offered.
    prompts.clear();
    assert.deepEqual(await run('grantTrackingAccess', 'UAT'), []);
    assert.match(prompts.said.at(-1)!, /^Every active user of UAT can already use change requests \(\d+ hold the Changeline_Tracking permission set\)\.$/);
  });

  it('groups new CRs by status with counts; text and "mine" filters change what shows', async () => {
    const tag = stamp('Filter');
    const a = await create('Dev', `${tag} alpha`);
    await create('Dev', `${tag} beta`, { customizations: [{ type: 'ApexClass', fullName: `Zeta_${tag.split(' ')[1]}` }] });
    // A CR made by the other user of the org (as a colleague would).
    const reviewer = testEmulator().info().orgs.find((o) => o.name === 'dev')!.users[1];
    const sf = await api.salesforce();
    // The colleague works on change requests once given the tracking permission set.
    await sf.grantTrackingAccess((await api.sessions.get('Dev')).handle, [reviewer.id]);
    const colleague = await sf.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: testOrg('dev').instanceUrl, alias: 'dev-reviewer' });
    await sf.createChangeRequest(colleague, newDraft({ name: `${tag} gamma` }));
    api.changeRequests.refresh('Dev');

    await run('filterChangeRequests', tag);
    const groups = await envChildren(api, 'Dev');
    assert.deepEqual(groups.map((g) => g.label), ['Draft (3)']);
    const rows = await groupRows(api, 'Dev', 'Draft');
    assert.deepEqual(rows.map((r) => r.item.description).sort(), [`${tag} alpha`, `${tag} beta`, `${tag} gamma`]);
    const first = rows.find((r) => r.item.description === `${tag} alpha`)!;
    assert.equal(first.label, a.number);
    assert.equal(first.item.contextValue, 'changeRequest.draft');
    assert.deepEqual(first.item.command?.arguments, [{ environment: 'Dev', id: a.id }]);

    // Customization names match too; the view title says what is filtered.
    await run('filterChangeRequests', `zeta_${tag.split(' ')[1]}`.toUpperCase());
    assert.deepEqual((await groupRows(api, 'Dev', 'Draft')).map((r) => r.item.description), [`${tag} beta`]);

    await run('filterChangeRequests', tag);
    const mine = await run<{ mine: boolean }>('toggleMyChangeRequests');
    assert.equal(mine?.mine, true);
    assert.deepEqual((await envChildren(api, 'Dev')).map((g) => g.label), ['Draft (2)']);
    assert.ok(!(await groupRows(api, 'Dev', 'Draft')).some((r) => r.item.description === `${tag} gamma`), "the colleague's CR is hidden");

    await run('filterChangeRequests', `${tag} nothing`);
    assert.deepEqual((await envChildren(api, 'Dev')).map((g) => g.label), ['No change request matches the filter']);
    await run('clearChangeRequestFilter');
    assert.deepEqual(api.changeRequests.filter, { text: '', mine: false });
  });

  it('refuses empty and over-long names and unknown component types, saying what to fix', async () => {
    assert.equal(validateChangeRequestName(''), 'Give the change request a name.');
    assert.equal(validateChangeRequestName('   '), 'Give the change request a name.');
    assert.match(validateChangeRequestName('x'.repeat(81)) ?? '', /Shorten the name to 80 characters or fewer \(it has 81\)/);
    assert.equal(validateChangeRequestName('x'.repeat(80)), undefined);

    const before = (await api.changeRequests.whenLoaded('Dev'), api.changeRequests.state('Dev'));
    const total = before.kind === 'ready' ? before.total : -1;
    assert.equal(await run('newChangeRequest', { environment: 'Dev', name: '', changeType: 'Feature' }), undefined);
    assert.equal(await run('newChangeRequest', { environment: 'Dev', name: 'y'.repeat(81), changeType: 'Feature' }), undefined);
    assert.equal(
      await run('newChangeRequest', { environment: 'Dev', name: stamp('Typo'), changeType: 'Feature', customizations: [{ type: 'ApexClas', fullName: 'Greeter' }] }),
      undefined,
    );
    assert.deepEqual(prompts.said.slice(0, 2), ['Give the change request a name.', 'Shorten the name to 80 characters or fewer (it has 81).']);
    assert.match(prompts.said[2], /"ApexClas" \(for Greeter\) is not a metadata type this org knows/);
    api.changeRequests.refresh('Dev');
    await api.changeRequests.whenLoaded('Dev');
    const now = api.changeRequests.state('Dev');
    assert.equal(now.kind === 'ready' ? now.total : -2, total, 'nothing was created');
  });

  it('submits, refuses the submitter approving, and approves as the second user', async () => {
    const name = stamp('Approve me');
    const cr = await create('UAT', name, { customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] });
    const target = { environment: 'UAT', id: cr.id };
    const submitted = await run<Outcome>('submitChangeRequest', target);
    assert.ok(submitted?.ok, JSON.stringify(submitted));
    assert.equal(submitted.cr.status, 'Pending approval');

    const selfApprove = await run<Outcome>('approveChangeRequest', { ...target, comment: 'mine is fine' });
    assert.equal(selfApprove?.ok, false);
    assert.match(prompts.said.at(-1) ?? '', /^Self-approval is not allowed in UAT: someone other than its submitter must approve or reject CR-\d+; add a colleague as an approver and ask them\./);

    // Listing themselves as the only approver changes nothing in UAT (staging: self-approval is off by default).
    const reviewer = testEmulator().info().orgs.find((o) => o.name === 'uat')!.users[1];
    const sf = await api.salesforce();
    const admin = await api.sessions.get('UAT');
    const setApprovers = async (ids: string[]) => sf.updateChangeRequest(admin.handle, { ...(await sf.getChangeRequest(admin.handle, cr.id!)), approvers: ids });
    await setApprovers([admin.userId]);
    assert.equal((await run<Outcome>('approveChangeRequest', { ...target, comment: 'I approve my own' }))?.ok, false);
    assert.match(prompts.said.at(-1) ?? '', /^Self-approval is not allowed in UAT/);
    // With a colleague among the approvers, the refusal says who can approve, by name.
    await setApprovers([admin.userId, reviewer.id]);
    assert.equal((await run<Outcome>('approveChangeRequest', { ...target, comment: 'I approve my own' }))?.ok, false);
    assert.match(prompts.said.at(-1) ?? '', /; ask its approver \(Rae Reviewer\)\./);
    assert.equal((await sf.getChangeRequest(admin.handle, cr.id!)).status, 'Pending approval');

    // The reviewer's own checkout: UAT points at the reviewer's authorization.
    await sf.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: testOrg('uat').instanceUrl, alias: 'uat-reviewer' });
    const original = await readText(pipelineUri());
    try {
      await writeText(pipelineUri(), original.replace('"org": "uat"', '"org": "uat-reviewer"'));
      await run('refresh');
      await waitFor('UAT to use the reviewer', async () => (await api.sessions.get('UAT')).username === reviewer.username);
      const approved = await run<Outcome>('approveChangeRequest', { ...target, comment: 'Reviewed, fine' });
      assert.ok(approved?.ok, JSON.stringify(approved));
      assert.equal(approved.cr.status, 'Approved');
      await run('filterChangeRequests', name);
      assert.deepEqual((await envChildren(api, 'UAT')).map((g) => g.label), ['Approved (1)']);
      const row = (await groupRows(api, 'UAT', 'Approved'))[0];
      // UAT's next stage is production: the row offers "Send to Production…" (package.json matches the suffix).
      assert.equal(row.item.contextValue, 'changeRequest.approved.toProduction');
      assert.equal(row.label, cr.number);
    } finally {
      await writeText(pipelineUri(), original);
      await run('refresh');
      await waitFor('UAT to use the admin again', async () => (await api.sessions.get('UAT')).username === testOrg('uat').username);
    }
  });

  it('pushes Dev → UAT and shows the copy in UAT, with the missing component marked', async () => {
    const name = stamp('Push me');
    const missing = { type: 'ApexClass', fullName: `NotInUat${Date.now()}` };
    const cr = await create('Dev', name, { customizations: [missing] });
    prompts.picks = ['UAT'];
    const pushed = await run<SyncOutcome>('pushChangeRequest', { environment: 'Dev', id: cr.id });
    assert.ok(pushed?.ok, JSON.stringify(pushed));
    assert.equal(pushed.created, true);
    assert.deepEqual(pushed.copy.proposedCustomizations, [missing]);
    assert.equal(prompts.said.at(-1), `Pushed ${cr.number} to UAT as ${pushed.copy.number} (1 customization marked not in UAT).`);

    await run('filterChangeRequests', name);
    const rows = await groupRows(api, 'UAT', 'Draft');
    assert.deepEqual(rows.map((r) => [r.label, r.item.description]), [[pushed.copy.number, name]]);

    // Pushing again updates that copy instead of making a second one.
    const again = await run<SyncOutcome>('pushChangeRequest', { environment: 'Dev', id: cr.id, to: 'UAT' });
    assert.ok(again?.ok && !again.created && again.copy.id === pushed.copy.id, JSON.stringify(again));
    assert.equal((await groupRows(api, 'UAT', 'Draft')).length, 1);
    // Skipping an environment is refused (the command shows the error and returns nothing).
    assert.equal(await run('pushChangeRequest', { environment: 'Dev', id: cr.id, to: 'Production' }), undefined);
  });

  it('pushing to an environment without tracking offers to install it, then pushes', async () => {
    const restore = removeTracking('prod');
    try {
      api.changeRequests.refresh('Production');
      const cr = await create('UAT', stamp('To prod'));
      const declined = await run('pushChangeRequest', { environment: 'UAT', id: cr.id, to: 'Production' });
      assert.equal(declined, undefined);
      assert.ok(prompts.said.includes('Change tracking is not installed in Production.'), prompts.said.join('\n'));
      const rows = await envChildren(api, 'Production');
      assert.equal(rows[0]?.item.contextValue, 'trackingMissing');

      prompts.clear();
      prompts.warnAnswer = 'Install…';
      const pushed = await run<SyncOutcome>('pushChangeRequest', { environment: 'UAT', id: cr.id, to: 'Production' });
      assert.ok(pushed?.ok, `${JSON.stringify(pushed)}\n${prompts.said.join('\n')}`);
      assert.match(prompts.said.join('\n'), /Install Changeline's change tracking objects in Production/);
      assert.ok(prompts.said.includes(`Pushed ${cr.number} to Production as ${pushed.copy.number}.`), prompts.said.join('\n'));
    } finally {
      restore();
      api.changeRequests.refresh('Production');
    }
  });

  it('when the sending environment lost its tracking, the offer names the sender, not the receiver', async () => {
    const cr = await create('Dev', stamp('Sender without tracking'));
    const restore = removeTracking('dev');
    try {
      const declined = await run('pushChangeRequest', { environment: 'Dev', id: cr.id, to: 'UAT' });
      assert.equal(declined, undefined);
      assert.ok(prompts.said.includes('Change tracking is not installed in Dev.'), prompts.said.join('\n'));
      assert.ok(!prompts.said.some((m) => /not installed in UAT/.test(m)), prompts.said.join('\n'));
    } finally {
      restore();
      api.changeRequests.refresh('Dev');
    }
  });

  it('cancels and deletes only as the rules allow, and copies the number', async () => {
    const cr = await create('Dev', stamp('Short lived'));
    const target = { environment: 'Dev', id: cr.id };
    assert.equal(await run('copyChangeRequestNumber', target), cr.number);
    assert.equal(await vscode.env.clipboard.readText(), cr.number);

    const cancelled = await run<Outcome>('cancelChangeRequest', target);
    assert.ok(cancelled?.ok);
    assert.equal(cancelled.cr.status, 'Cancelled');
    assert.equal(await run('deleteChangeRequest', target), false);
    assert.match(prompts.said.at(-1) ?? '', /is Cancelled: only drafts can be deleted/);

    const draft = await create('Dev', stamp('Deleted draft'));
    assert.equal(await run('deleteChangeRequest', { environment: 'Dev', id: draft.id }), true);
    await run('filterChangeRequests', draft.name);
    assert.deepEqual((await envChildren(api, 'Dev')).map((g) => g.label), ['No change request matches the filter']);
  });
});

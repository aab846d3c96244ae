/**
 * The change request editor panel in the real extension host against the emulated UAT org: the
 * webview loads under its CSP and renders, and the messages it sends (driven here through the same
 * handler) edit, save, meet conflicts, change status and show the sealed history. The org is
 * shared with other test files, so every test makes its own CRs.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { changeStatus, createRequest, editRequest, type ChangeRequest } from '../../src/core/change-requests';
import type { ChangelineApi } from '../../src/extension';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { SalesforceApi } from '../../src/salesforce-loader';
import type { DraftFields, PanelState } from '../../src/shared/changeRequestProtocol';
import { PANEL_TYPES } from '../../src/shared/ids';
import { ChangeRequestPanels, type ChangeRequestPanel } from '../../src/webviews/changeRequest';
import type { Ctx } from '../../src/ctx';
import { OrgSessions } from '../../src/workflows/sessions';
import { EnvironmentsModel } from '../../src/views/environmentsModel';
import { draftOf } from '../../src/webviews/changeRequest/present';
import { testEmulator, testOrg } from './index';
import { changeline, EXTENSION_ID, pipelineUri, readText, waitFor, WEBVIEW_BOOT_MS, workspaceFolder, writeText } from './support';

const ENV = 'UAT';
const REVIEWER_ALIAS = 'crpanel-reviewer';

describe('Change request editor panel', function () {
  this.timeout(120_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  let handle: OrgConnection;
  let me: string;
  let reviewerConn: OrgConnection | undefined;
  const reviewer = () => testEmulator().org('uat').users.find((u) => !u.isAdmin)!;
  const tag = `P${Date.now().toString(36)}`;

  before(async () => {
    api = await changeline();
    await api.model.loadAuthorizations();
    sf = await api.salesforce();
    const session = await api.sessions.get(ENV);
    handle = session.handle;
    me = session.userId;
    const status = await sf.trackingStatus(handle);
    if (!status.installed || status.upgradeAvailable) {
      const r = await sf.installTracking(handle, { pollMs: 20 });
      assert.ok(r.success, 'tracking installed in UAT');
    }
    api.changeRequestPanels.setConfirm(async () => true);
  });

  afterEach(async () => {
    await testEmulator().org('uat').setDown(false);
    for (const p of api.changeRequestPanels.all()) p.dispose();
  });

  after(async () => {
    if (reviewerConn) await sf.removeAuthorization(REVIEWER_ALIAS).catch(() => undefined);
    // Other files find UAT's reviewer without access, as the emulator starts.
    for (const id of granted) await sf.deleteRecord(handle, 'PermissionSetAssignment', id).catch(() => undefined);
  });

  /** The reviewer works on change requests once given the tracking permission set, as a team would. */
  const granted: string[] = [];
  async function grantReviewer(): Promise<void> {
    const [grant] = await sf.grantTrackingAccess(handle, [reviewer().id]);
    if (grant!.outcome !== 'assigned') return;
    const rows = await sf.query<{ Id: string }>(handle, `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${reviewer().id}'`);
    granted.push(...rows.map((r) => r.Id));
  }

  async function createCr(name: string, fields: Partial<DraftFields> = {}): Promise<ChangeRequest> {
    const out = await createRequest(
      { store: sf.trackingStore(handle), actor: { userId: me } },
      { name: `${tag} ${name}`, customizations: [{ type: 'ApexClass', fullName: 'Greeter' }], ...fields },
    );
    assert.ok(out.ok, `created: ${'reason' in out ? out.reason : ''}`);
    return out.cr;
  }

  async function open(cr: ChangeRequest): Promise<ChangeRequestPanel> {
    const panel = api.changeRequestPanels.open(ENV, cr.id!);
    await waitFor('the panel to load the CR', () => panel.lastState()?.cr.number === cr.number);
    return panel;
  }

  /** Sends a message as the webview would and returns the state the panel posted back. */
  async function send(panel: ChangeRequestPanel, msg: unknown): Promise<PanelState> {
    await panel.handleMessage(msg);
    await panel.idle();
    const s = panel.lastState();
    assert.ok(s, 'the panel has a state');
    return s;
  }

  const fieldsOf = (s: PanelState): DraftFields => ({
    name: s.cr.name,
    changeType: s.cr.changeType,
    overview: s.cr.overview,
    customizations: s.cr.customizations,
    proposedCustomizations: s.cr.proposedCustomizations,
    approvers: s.cr.approvers,
  });

  it('opens one panel per CR, titled with number and name; the webview loads under its CSP and renders the state', async () => {
    const cr = await createCr('Add discount field');
    const panel = await open(cr);
    assert.equal(api.changeRequestPanels.open(ENV, cr.id!), panel, 'opening again reveals the same panel');
    assert.equal(panel.panel.title, `${cr.number} · ${tag} Add discount field`);
    assert.equal(panel.panel.viewType, PANEL_TYPES.changeRequest);
    // The webview script ran (CSP allowed it by nonce), got the state, rendered it, then asked for the types.
    await waitFor('the webview to say ready and ask for the metadata types after rendering', () => panel.fromWebview.includes('ready') && panel.fromWebview.includes('listTypes'), WEBVIEW_BOOT_MS);
    const s = panel.lastState()!;
    assert.equal(s.cr.status, 'Draft');
    assert.equal(s.cr.createdBy, 'Ada Admin');
    assert.deepEqual(
      s.users.map((u) => u.name).filter((n) => n === 'Ada Admin' || n === 'Rae Reviewer'),
      ['Ada Admin', 'Rae Reviewer'],
    );
    assert.deepEqual(s.history.map((h) => [h.action, h.who]), [['created', 'Ada Admin']]);
    assert.deepEqual(s.actions.map((a) => a.testId), ['cr-submit', 'cr-cancel']);
    assert.equal(s.tamperedEntry, undefined);
  });

  it('edit + save: dirty marker in the title, the org has the new values, the history an "edited" entry', async () => {
    const cr = await createCr('Edit me');
    const panel = await open(cr);
    await send(panel, { type: 'dirty', dirty: true });
    assert.equal(panel.panel.title, `● ${cr.number} · ${tag} Edit me`);

    const rae = reviewer().id;
    const fields: DraftFields = {
      ...draftOf(cr),
      name: `${tag} Edited name`,
      changeType: 'Bug fix',
      overview: 'Fixes <b>rounding</b>',
      proposedCustomizations: [{ type: 'Flow', fullName: 'Onboarding' }],
      approvers: [rae],
    };
    const s = await send(panel, { type: 'save', fields });
    assert.equal(s.banner?.kind, 'info', s.banner?.text);
    assert.equal(s.replaceDraft, true);
    assert.equal(panel.panel.title, `${cr.number} · ${tag} Edited name`, 'dirty marker cleared');

    const stored = await sf.getChangeRequest(handle, cr.id!);
    assert.equal(stored.name, `${tag} Edited name`);
    assert.equal(stored.changeType, 'Bug fix');
    assert.equal(stored.overview, 'Fixes <b>rounding</b>');
    assert.deepEqual(stored.proposedCustomizations, [{ type: 'Flow', fullName: 'Onboarding' }]);
    assert.deepEqual(stored.approvers, [rae]);
    const history = await sf.readHistory(handle, cr.id!);
    assert.deepEqual(history.map((h) => h.action), ['created', 'edited']);
    const edited = s.history[1]!;
    assert.equal(edited.who, 'Ada Admin');
    assert.ok(edited.changes.some((c) => c.label === 'Name' && c.old === `${tag} Edit me` && c.new === `${tag} Edited name`));
    assert.ok(edited.changes.some((c) => c.label === 'Additional approvers' && c.old === '(none)' && c.new === 'Rae Reviewer'));
  });

  it('the demo\'s CR with a proposed CustomField saves after an edit (child types are metadata types)', async () => {
    // As the demo seeds CR-00001: a proposed field of a custom object, then submitted.
    const cr = await createCr('Invoice discount for contract customers', {
      proposedCustomizations: [{ type: 'CustomField', fullName: 'Invoice__c.Discount__c' }],
    });
    const submitted = await changeStatus({ store: sf.trackingStore(handle), actor: { userId: me } }, cr, 'Pending approval');
    assert.ok(submitted.ok, 'submitted');
    const panel = await open(submitted.cr);
    await send(panel, { type: 'dirty', dirty: true });
    const s = await send(panel, { type: 'save', fields: { ...draftOf(submitted.cr), overview: 'Customers with an active contract get 5% off.' } });
    assert.equal(s.banner?.kind, 'info', s.banner?.text);
    assert.equal(s.replaceDraft, true);
    assert.equal((await sf.getChangeRequest(handle, cr.id!)).overview, 'Customers with an active contract get 5% off.');

    // Other child types of CustomObject are accepted too; a misspelt one is still refused.
    const more = [
      { type: 'CustomField', fullName: 'Invoice__c.Discount__c' },
      { type: 'ValidationRule', fullName: 'Invoice__c.Discount_In_Range' },
      { type: 'ListView', fullName: 'Invoice__c.All' },
    ];
    const edited = { ...draftOf(submitted.cr), overview: 'Customers with an active contract get 5% off.' };
    const again = await send(panel, { type: 'save', fields: { ...edited, proposedCustomizations: more } });
    assert.equal(again.banner?.kind, 'info', again.banner?.text);
    assert.deepEqual((await sf.getChangeRequest(handle, cr.id!)).proposedCustomizations, more);
    const typo = await send(panel, { type: 'save', fields: { ...edited, proposedCustomizations: [{ type: 'CustomFeild', fullName: 'Invoice__c.X__c' }] } });
    assert.equal(typo.banner?.kind, 'error');
    assert.match(typo.banner!.text, /"CustomFeild" \(for Invoice__c.X__c\) is not a metadata type this org knows/);
  });

  it('a refused save keeps the edits and says what to fix: empty name, unknown type, approver not a user', async () => {
    const cr = await createCr('Refusals');
    const panel = await open(cr);
    await send(panel, { type: 'dirty', dirty: true });
    const cases: Array<[Partial<DraftFields>, RegExp]> = [
      [{ name: '   ' }, /Give the change request a name/],
      [{ name: 'n'.repeat(81) }, /Shorten the name to 80 characters/],
      [{ proposedCustomizations: [{ type: 'NoSuchType', fullName: 'X' }] }, /"NoSuchType" \(for X\) is not a metadata type this org knows/],
      [{ approvers: ['005000000000099AAA'] }, /005000000000099AAA is not an active user of/],
    ];
    for (const [change, reason] of cases) {
      const s = await send(panel, { type: 'save', fields: { ...draftOf(cr), ...change } });
      assert.equal(s.banner?.kind, 'error');
      assert.match(s.banner!.text, reason);
      assert.equal(s.replaceDraft, false, 'the webview keeps its draft');
      assert.ok(panel.panel.title.startsWith('● '), 'still marked unsaved');
    }
    const stored = await sf.getChangeRequest(handle, cr.id!);
    assert.equal(stored.name, `${tag} Refusals`, 'nothing written');
    assert.deepEqual((await sf.readHistory(handle, cr.id!)).map((h) => h.action), ['created']);
  });

  it('a save that meets the reviewer\'s edit shows the conflicting field with both values; the resolution saves', async () => {
    const cr = await createCr('Conflict base', { overview: 'base text' });
    const panel = await open(cr);
    await grantReviewer();
    reviewerConn ??= await sf.authorizeWithToken({ accessToken: reviewer().accessToken, instanceUrl: testOrg('uat').instanceUrl, alias: REVIEWER_ALIAS });
    // The reviewer saves at once (often in the same second): the record's version tells the saves apart.
    const theirs = await editRequest(
      { store: sf.trackingStore(reviewerConn), actor: { userId: reviewer().id } },
      await sf.getChangeRequest(reviewerConn, cr.id!),
      { name: `${tag} Theirs`, changeType: 'Hotfix' },
    );
    assert.ok(theirs.ok);

    await send(panel, { type: 'dirty', dirty: true });
    const s = await send(panel, { type: 'save', fields: { ...draftOf(cr), name: `${tag} Mine`, overview: 'my text' } });
    assert.equal(s.banner?.kind, 'warning');
    assert.match(s.banner!.text, /was changed by someone else meanwhile; choose your version or theirs for: Name/);
    assert.deepEqual(s.conflict?.fields, [{ field: 'name', label: 'Name', base: `${tag} Conflict base`, mine: `${tag} Mine`, theirs: `${tag} Theirs` }]);
    assert.deepEqual(s.conflict?.fromTheirs, ['Change type']);
    assert.deepEqual(s.conflict?.fromMine, ['Overview']);
    assert.equal(s.replaceDraft, false);
    assert.equal((await sf.getChangeRequest(handle, cr.id!)).name, `${tag} Theirs`, 'nothing of mine written yet');

    const missing = await send(panel, { type: 'resolve', choices: {} });
    assert.match(missing.banner?.text ?? '', /Choose your version or theirs for: Name/);

    const done = await send(panel, { type: 'resolve', choices: { name: 'mine' } });
    assert.equal(done.conflict, undefined);
    assert.equal(done.replaceDraft, true);
    const stored = await sf.getChangeRequest(handle, cr.id!);
    assert.equal(stored.name, `${tag} Mine`);
    assert.equal(stored.changeType, 'Hotfix', 'their one-sided change kept');
    assert.equal(stored.overview, 'my text', 'my one-sided change kept');
    assert.deepEqual(done.history.map((h) => [h.action, h.who]), [['created', 'Ada Admin'], ['edited', 'Rae Reviewer'], ['edited', 'Ada Admin']]);
  });

  it('status: the creator may submit; without approvers the submitter is not offered approve; a dirty panel cannot change status', async () => {
    const cr = await createCr('Submit me');
    const panel = await open(cr);
    await send(panel, { type: 'dirty', dirty: true });
    const blocked = await send(panel, { type: 'transition', to: 'Pending approval' });
    assert.match(blocked.banner?.text ?? '', /Save or discard your edits first/);
    assert.equal((await sf.getChangeRequest(handle, cr.id!)).status, 'Draft');
    await send(panel, { type: 'dirty', dirty: false });

    const s = await send(panel, { type: 'transition', to: 'Pending approval' });
    assert.equal(s.cr.status, 'Pending approval');
    assert.equal((await sf.getChangeRequest(handle, cr.id!)).status, 'Pending approval');
    assert.deepEqual(s.actions.map((a) => a.testId), ['cr-withdraw', 'cr-cancel'], 'no approve/reject for the submitter');
    assert.equal(s.history.at(-1)?.action, 'status');

    // Even if a webview asked, the core refuses self-approval.
    const self = await send(panel, { type: 'transition', to: 'Approved', comment: 'mine' });
    assert.equal(self.banner?.kind, 'error');
    assert.match(self.banner!.text, /someone other than its submitter must approve/);
    assert.equal((await sf.getChangeRequest(handle, cr.id!)).status, 'Pending approval');
  });

  it('a history edited outside Changeline is flagged at the entry that breaks the seal', async () => {
    const cr = await createCr('Tamper');
    const panel = await open(cr);
    await send(panel, { type: 'save', fields: { ...draftOf(cr), overview: 'second entry' } });
    await send(panel, { type: 'save', fields: { ...draftOf(cr), overview: 'third entry' } });
    const rows = await sf.query<{ Id: string }>(handle, `SELECT Id FROM Changeline_CR_History__c WHERE Change_Request__c = '${cr.id}' ORDER BY Seq__c ASC`);
    assert.equal(rows.length, 3);
    await sf.updateRecord(handle, 'Changeline_CR_History__c', rows[1]!.Id, {
      Details__c: JSON.stringify({ changes: [{ field: 'overview', label: 'Overview', old: '', new: 'forged' }] }),
    });
    const s = await send(panel, { type: 'reload' });
    assert.equal(s.tamperedEntry, 2);
    assert.deepEqual(s.history.map((h) => h.tampered), [false, true, false]);
    assert.equal(s.history[1]!.changes[0]!.new, 'forged', 'shown as stored, flagged');
  });

  it('changes elsewhere in Changeline refresh a clean panel; a dirty one keeps its edits and warns', async () => {
    const cr = await createCr('Refresh');
    const panel = await open(cr);
    await sf.updateRecord(handle, 'Changeline_Change_Request__c', cr.id!, { Title__c: `${tag} Renamed elsewhere`, Version__c: (cr.version ?? 0) + 1 });
    api.sessions.notifyChanged({ environment: ENV, id: cr.id });
    await waitFor('the clean panel to reload', () => panel.lastState()?.cr.name === `${tag} Renamed elsewhere`);
    assert.equal(panel.lastState()!.replaceDraft, true);

    await send(panel, { type: 'dirty', dirty: true });
    api.sessions.notifyChanged({ environment: ENV, id: cr.id });
    await panel.idle();
    const s = panel.lastState()!;
    assert.equal(s.remoteChanged, true);
    assert.equal(s.replaceDraft, false);
    assert.match(s.banner?.text ?? '', /your save will be checked for conflicts/);
  });

  it('an unreachable org: the save fails with the reason in the panel and the edits stay', async () => {
    const cr = await createCr('Offline');
    const panel = await open(cr);
    await send(panel, { type: 'dirty', dirty: true });
    await testEmulator().org('uat').setDown(true);
    const s = await send(panel, { type: 'save', fields: { ...draftOf(cr), name: `${tag} Offline edit` } });
    assert.equal(s.banner?.kind, 'error');
    assert.match(s.banner!.text, /^Saving failed: /);
    assert.equal(s.replaceDraft, false);
    assert.ok(panel.panel.title.startsWith('● '));
    await testEmulator().org('uat').setDown(false);
    const again = await send(panel, { type: 'save', fields: { ...fieldsOf(s), name: `${tag} Offline edit` } });
    assert.equal(again.banner?.kind, 'info', again.banner?.text);
    assert.equal((await sf.getChangeRequest(handle, cr.id!)).name, `${tag} Offline edit`);
  });

  it('a restored panel (after a reload) loads its CR from the saved webview state and keeps the webview\'s draft', async () => {
    const cr = await createCr('Revive');
    const raw = vscode.window.createWebviewPanel(PANEL_TYPES.changeRequest, 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    const panel = api.changeRequestPanels.revive(raw, { environment: ENV, id: cr.id, draft: { ...draftOf(cr), name: 'unsaved' } });
    assert.ok(panel);
    await waitFor('the revived panel to load', () => panel.lastState()?.cr.number === cr.number);
    assert.equal(panel.lastState()!.replaceDraft, false, 'the webview keeps the draft it saved');
    assert.equal(api.changeRequestPanels.get(ENV, cr.id!), panel);
    const junk = vscode.window.createWebviewPanel(PANEL_TYPES.changeRequest, 'junk', vscode.ViewColumn.Active, {});
    assert.equal(api.changeRequestPanels.revive(junk, { environment: ENV, id: "x' OR Id != '" }), undefined, 'a state that is not a CR is not restored');
  });

  it('restored before the pipeline file is read (a window reload): waits for it, saying so, then loads with the unsaved edits kept; a CR that cannot be loaded offers them back and loads later', async () => {
    // What a reload looks like: the extension restarts, VS Code restores the panel, the pipeline file is not read yet.
    // A model of its own (not yet read) over a pipeline file of its own stands for the restarted extension.
    const file = '.changeline/restore-before-read.json';
    const fileUri = vscode.Uri.joinPath(workspaceFolder(), file);
    const full = await readText(pipelineUri());
    await writeText(fileUri, full);
    const log = api.log; // one Changeline channel per host: a second one with the same name would take over its log file
    const model = new EnvironmentsModel({ folder: workspaceFolder, pipelineFile: () => file, concurrency: () => 2, salesforce: () => api.salesforce(), log });
    const sessions = new OrgSessions(model, () => api.salesforce());
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const ctx = { model, log, sessions, salesforce: () => api.salesforce(), prompts: api.prompts, extension: { extensionUri, subscriptions: [] } } as unknown as Ctx;
    const panels = new ChangeRequestPanels(ctx, { serializer: false });
    const restore = (id: string, draft: DraftFields) =>
      panels.revive(vscode.window.createWebviewPanel(PANEL_TYPES.changeRequest, 'restored', vscode.ViewColumn.Active, { enableScripts: true }), { environment: ENV, id, draft })!;
    try {
      const cr = await createCr('Reloaded');
      const draft = { ...draftOf(cr), overview: 'typed before the reload' };
      const panel = restore(cr.id!, draft);
      await waitFor('the panel to say it waits for the pipeline file', () => panel.waitingFor());
      assert.equal(panel.waitingFor(), 'Waiting for the pipeline file to be read before loading the change request…');
      assert.equal(panel.loadFailure(), undefined, 'waiting is not failing: no "no environment named UAT"');
      assert.equal(panel.lastState(), undefined);

      await model.reload();
      await waitFor('the restored panel to load once the pipeline file is read', () => panel.lastState()?.cr.number === cr.number);
      assert.equal(panel.lastState()!.replaceDraft, false, 'the webview keeps the unsaved edits it saved');
      assert.equal(panel.waitingFor(), undefined);
      assert.equal(panel.loadFailure(), undefined);
      panel.dispose();

      // The pipeline file no longer names UAT: the load fails, and the edits are offered back, not dropped.
      const other = await createCr('Reloaded, pipeline without UAT');
      const otherDraft = { ...draftOf(other), name: `${tag} renamed before the reload`, overview: 'kept whatever happens' };
      await writeText(fileUri, JSON.stringify({ version: 1, environments: [{ name: 'Dev', org: 'dev', role: 'development' }] }));
      await model.reload();
      const lost = restore(other.id!, otherDraft);
      const failure = await waitFor('the load to fail', () => lost.loadFailure());
      assert.equal(
        failure.text,
        'Loading the change request failed: There is no environment named "UAT" in the pipeline. Your unsaved edits are kept below: Try Again loads the change request and puts them back (it loads by itself once the pipeline file names UAT).',
      );
      assert.deepEqual(failure.draft, otherDraft, 'the unsaved edits are offered back');
      assert.equal(lost.lastState(), undefined);

      // Putting UAT back in the file loads the CR by itself, edits still the webview's.
      await writeText(fileUri, full);
      await model.reload();
      await waitFor('the CR to load once the pipeline names UAT again', () => lost.lastState()?.cr.number === other.number);
      assert.equal(lost.lastState()!.replaceDraft, false);
      assert.equal(lost.loadFailure(), undefined);
      lost.dispose();

      // The session expired: the edits are offered back; opening the CR from the tree tries again and loads it.
      testEmulator().org('uat').faults.sessionExpired = true;
      const third = restore(other.id!, otherDraft);
      const down = await waitFor('the load to fail while the session is expired', () => third.loadFailure());
      assert.match(down.text, /^Loading the change request failed: .+ Your unsaved edits are kept below: Try Again loads the change request and puts them back\.$/);
      assert.deepEqual(down.draft, otherDraft);
      testEmulator().org('uat').faults.clear();
      assert.equal(panels.open(ENV, other.id!), third, 'the tree opens the same tab');
      await waitFor('the CR to load after Open', () => third.lastState()?.cr.number === other.number);
      assert.equal(third.lastState()!.replaceDraft, false);
    } finally {
      testEmulator().org('uat').faults.clear();
      panels.dispose();
      sessions.dispose();
      model.dispose();
      await vscode.workspace.fs.delete(fileUri).then(undefined, () => undefined);
    }
  });
});

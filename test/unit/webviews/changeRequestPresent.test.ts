import * as assert from 'node:assert/strict';
import { append, newDraft, threeWay, verifyChain, type ChangeRequest, type HistoryEntry } from '../../../src/core/change-requests';
import { allowedActions, conflictView, deployedByView, historyView, originLine, panelState, panelTitle, valueText } from '../../../src/webviews/changeRequest/present';
import { filterComponents } from '../../../src/webviews/changeRequest/orgData';
import { componentError, nameError, sameDraft } from '../../../src/webview-ui/changeRequest/draft';

const ADA = '005000000000001AAA';
const RAE = '005000000000002AAA';
const users = [
  { id: ADA, name: 'Ada Admin', username: 'admin@x' },
  { id: RAE, name: 'Rae Reviewer', username: 'reviewer@x' },
];

const cr = (over: Partial<ChangeRequest> = {}): ChangeRequest => ({
  ...newDraft({ name: 'Add discount field', customizations: [{ type: 'CustomField', fullName: 'Account.Discount__c' }] }),
  id: 'a0B000000000001AAA',
  number: 'CR-00003',
  createdBy: ADA,
  lastModified: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('change request panel: what the editor shows', () => {

  it('names the deployment record that deployed the CR, openable when the environment holding it is known; nothing without one', () => {
    const me = { userId: ADA, name: 'Ada Admin' };
    const state = (c: ChangeRequest) =>
      panelState({ environment: 'UAT', cr: c, users, me, history: [], remoteChanged: false, replaceDraft: false });
    const deployed = cr({ status: 'Deployed', deployment: { orgId: '00D000000000001AAA', recordId: 'a0X000000000001AAA', number: 'DEP-00042', environment: 'Dev', deployId: '0Af000000000007AAA', at: '2026-03-04T10:11:12.000Z' } });
    assert.deepEqual(state(deployed).cr.deployedBy, { text: 'Deployed by DEP-00042 (kept in Dev), deploy 0Af000000000007AAA on 2026-03-04', openable: true });
    const elsewhere = cr({ status: 'Deployed', deployment: { orgId: '00D000000000009AAA', recordId: 'a0X000000000002AAA' } });
    assert.deepEqual(deployedByView(elsewhere), { text: 'Deployed by a0X000000000002AAA (kept in org 00D000000000009AAA)', openable: false }, 'no pipeline environment: shown, not openable');
    assert.equal(state(cr()).cr.deployedBy, undefined);
    assert.equal('deployedBy' in state(cr()).cr, false, 'a CR no record deployed carries no deployedBy');
  });
  it('titles the panel with number and name, with a dot while there are unsaved edits', () => {
    assert.equal(panelTitle(cr(), false), 'CR-00003 · Add discount field');
    assert.equal(panelTitle(cr(), true), '● CR-00003 · Add discount field');
    assert.equal(panelTitle(undefined, false, 'Change Request (UAT)'), 'Change Request (UAT)');
  });

  it('offers submit to the creator of a draft, and says why not when it has no customizations', () => {
    assert.deepEqual(allowedActions(cr(), { userId: ADA }).actions.map((a) => a.testId), ['cr-submit', 'cr-cancel']);
    const empty = allowedActions(cr({ customizations: [] }), { userId: ADA });
    assert.deepEqual(empty.actions.map((a) => a.testId), ['cr-cancel']);
    assert.match(empty.hint ?? '', /Add at least one customization/);
  });

  it('offers Complete on a deployed CR (the target copy) and on a Ready or Idle one (the source), and not before the deploy', () => {
    for (const status of ['Deployed', 'Ready', 'Idle'] as const) {
      assert.ok(allowedActions(cr({ status }), { userId: ADA }).actions.some((a) => a.testId === 'cr-complete' && a.to === 'Completed'), status);
    }
    assert.ok(!allowedActions(cr({ status: 'Approved' }), { userId: ADA }).actions.some((a) => a.testId === 'cr-complete'));
  });

  it('does not offer approve/reject to the submitter when there are no approvers; offers them to someone else', () => {
    const pending = cr({ status: 'Pending approval', submittedBy: ADA });
    assert.deepEqual(allowedActions(pending, { userId: ADA }).actions.map((a) => a.testId), ['cr-withdraw', 'cr-cancel']);
    const forRae = allowedActions(pending, { userId: RAE }).actions;
    assert.deepEqual(forRae.map((a) => a.testId), ['cr-approve', 'cr-reject', 'cr-cancel']);
    assert.ok(forRae.find((a) => a.testId === 'cr-approve')!.needsComment);
  });

  it('with approvers, only they may decide; the submitter only where self-approval is allowed', () => {
    const pending = cr({ status: 'Pending approval', submittedBy: ADA, approvers: [ADA] });
    assert.deepEqual(allowedActions(pending, { userId: RAE }).actions.map((a) => a.testId), ['cr-cancel']);
    const dev = { selfApproval: true, environment: 'Dev' };
    assert.ok(allowedActions(pending, { userId: ADA }, dev).actions.some((a) => a.testId === 'cr-approve'));
    const uat = { selfApproval: false, environment: 'UAT' };
    assert.deepEqual(allowedActions(pending, { userId: ADA }, uat).actions.map((a) => a.testId), ['cr-withdraw', 'cr-cancel'], 'no approve/reject for the submitter in UAT');
    const s = panelState({ environment: 'UAT', cr: pending, users, me: { userId: ADA, name: '' }, history: [], remoteChanged: false, replaceDraft: true, approval: uat });
    assert.ok(!s.actions.some((a) => a.testId === 'cr-approve'));
  });

  it('summarizes values as text: components by type and name, approvers by name, long lists and text cut', () => {
    assert.equal(valueText([{ type: 'ApexClass', fullName: 'A' }, { type: 'Flow', fullName: 'B' }], users), 'ApexClass A, Flow B');
    assert.equal(valueText([RAE, '005000000000009AAA'], users, 'approvers'), 'Rae Reviewer, 005000000000009AAA');
    assert.equal(valueText(Array.from({ length: 8 }, (_, i) => `v${i}`), users), 'v0, v1, v2, v3, v4 and 3 more');
    assert.equal(valueText('', users), '(empty)');
    assert.equal(valueText([], users), '(none)');
    assert.ok(valueText('x'.repeat(500), users).endsWith('…'));
    assert.equal(valueText('<img src=x onerror=alert(1)>', users), '<img src=x onerror=alert(1)>', 'text stays text (rendered with textContent)');
  });

  it('history: names the actor, lists field changes old → new, marks the entry that breaks the seal', () => {
    const chain = append([], [
      { action: 'created', actorId: ADA, at: '2026-01-01T00:00:00Z', details: {} },
      { action: 'edited', actorId: RAE, at: '2026-01-02T00:00:00Z', details: { changes: [{ field: 'name', label: 'Name', old: 'a', new: 'b' }] } },
      { action: 'approved', actorId: RAE, at: '2026-01-03T00:00:00Z', details: { comment: 'ship it', changes: [{ field: 'status', label: 'Status', old: 'Pending approval', new: 'Approved' }] } },
    ]);
    chain[1] = { ...chain[1]!, details: { changes: [{ field: 'name', label: 'Name', old: 'a', new: 'forged' }] } };
    const bad = verifyChain(chain);
    assert.equal(bad, 1);
    const v = historyView(chain, users, bad);
    assert.deepEqual(v.map((e) => [e.who, e.action, e.tampered]), [['Ada Admin', 'created', false], ['Rae Reviewer', 'edited', true], ['Rae Reviewer', 'approved', false]]);
    assert.deepEqual(v[1]!.changes, [{ label: 'Name', old: 'a', new: 'forged' }]);
    assert.equal(v[2]!.comment, 'ship it');
    const s = panelState({ environment: 'UAT', cr: cr(), users, me: { userId: ADA, name: 'Ada Admin' }, history: chain, tamperedIndex: bad, remoteChanged: false, replaceDraft: true });
    assert.equal(s.tamperedEntry, 2, '1-based, as the banner says "entry 2"');
    assert.equal(s.cr.createdBy, 'Ada Admin');
    assert.equal(s.editable, true);
  });

  it('conflict view: base / mine / theirs as text per conflicting field, plus what merged by itself', () => {
    const base = cr({ overview: 'one' });
    const mine = { ...base, name: 'Mine', overview: 'two' };
    const theirs = { ...base, name: 'Theirs', approvers: [RAE] };
    const v = conflictView('changed meanwhile', threeWay(base, mine, theirs), users);
    assert.deepEqual(v.fields, [{ field: 'name', label: 'Name', base: 'Add discount field', mine: 'Mine', theirs: 'Theirs' }]);
    assert.deepEqual(v.fromTheirs, ['Additional approvers']);
    assert.deepEqual(v.fromMine, ['Overview']);
  });

  it('shows where a copy came from, and whether it was pushed or pulled there', () => {
    const received = (action: 'pushed' | 'pulled'): HistoryEntry => ({ seq: 1, action, actorId: ADA, at: '2025-01-01T00:00:00Z', details: { org: 'Dev', role: 'received', direction: action === 'pushed' ? 'push' : 'pull' }, prevHash: '', hash: '' });
    const sent: HistoryEntry = { ...received('pushed'), seq: 2, details: { org: 'Production', role: 'sent' } };
    const copy = cr({ origin: { orgId: '00D1', recordId: 'a0B1', number: 'CR-00012', environment: 'UAT' } });
    assert.equal(originLine(cr()), undefined);
    assert.equal(originLine(copy, [received('pulled'), sent]), 'Pulled from CR-00012 in UAT');
    assert.equal(originLine(copy, [received('pushed'), sent]), 'Pushed from CR-00012 in UAT');
    // Pushed on later: how it arrived is what the line says.
    assert.equal(originLine(copy, [received('pushed'), { ...sent, action: 'pushed' }, { ...received('pulled'), seq: 3 }]), 'Pushed from CR-00012 in UAT');
    assert.equal(originLine(copy), 'Copied from CR-00012 in UAT', 'no history: no claim about the direction');
    assert.equal(originLine(cr({ origin: { orgId: '00D1', recordId: 'a0B1' } })), 'Copied from a0B1 in org 00D1');
    const state = panelState({ environment: 'UAT', cr: copy, users, me: { userId: ADA, name: '' }, history: [received('pushed')], remoteChanged: false, replaceDraft: true });
    assert.equal(state.cr.originLine, 'Pushed from CR-00012 in UAT');
  });

  it('is not editable once deployed or cancelled', () => {
    const s = panelState({ environment: 'UAT', cr: cr({ status: 'Cancelled' }), users, me: { userId: ADA, name: '' }, history: [], remoteChanged: false, replaceDraft: true });
    assert.equal(s.editable, false);
    assert.deepEqual(s.actions, []);
  });
});

describe('change request panel: picker and draft checks', () => {
  it('filters components by name, case-insensitively, at most 50', () => {
    const items = Array.from({ length: 120 }, (_, i) => ({ type: 'ApexClass', fullName: `Class${i}` }));
    assert.deepEqual(filterComponents(items, 'class11'), { items: items.filter((c) => /^Class11\d?$/.test(c.fullName)), total: 11 });
    const all = filterComponents(items, '  ');
    assert.equal(all.items.length, 50);
    assert.equal(all.total, 120);
  });

  it('checks the name and proposed components at once', () => {
    assert.match(nameError('  ') ?? '', /Give the change request a name/);
    assert.match(nameError('n'.repeat(81)) ?? '', /Shorten the name to 80/);
    assert.equal(nameError('ok'), undefined);
    assert.match(componentError({ type: 'Flw', fullName: 'X' }, [], ['Flow', 'ApexClass']) ?? '', /"Flw" is not a metadata type this org knows/);
    assert.match(componentError({ type: 'Flow', fullName: 'X' }, [{ type: 'Flow', fullName: 'X' }], ['Flow']) ?? '', /already in the list/);
    assert.match(componentError({ type: 'Flow', fullName: ' ' }, [], undefined) ?? '', /Give a metadata type and a full name/);
    assert.equal(componentError({ type: 'Flow', fullName: 'X' }, [], undefined), undefined);
  });

  it('a draft is dirty when any field differs; approver order does not matter', () => {
    const d = { name: 'a', changeType: 'Feature' as const, overview: '', customizations: [], proposedCustomizations: [], approvers: [ADA, RAE] };
    assert.ok(sameDraft(d, { ...d, approvers: [RAE, ADA] }));
    assert.ok(!sameDraft(d, { ...d, overview: ' ' }));
    assert.ok(!sameDraft(d, { ...d, customizations: [{ type: 'Flow', fullName: 'X' }] }));
  });
});

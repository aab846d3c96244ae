import * as assert from 'node:assert/strict';
import { LIMITS, parseFromWebview, parseWebviewState, type DraftFields } from '../../../src/shared/changeRequestProtocol';

const fields = (): DraftFields => ({
  name: 'Add discount field',
  changeType: 'Feature',
  overview: 'Sales asked for it.',
  customizations: [{ type: 'CustomField', fullName: 'Account.Discount__c' }],
  proposedCustomizations: [{ type: 'Flow', fullName: 'Onboarding' }],
  approvers: ['005000000000002AAA'],
});

function refused(x: unknown): string {
  const r = parseFromWebview(x);
  assert.equal(r.ok, false, `refused: ${JSON.stringify(x)?.slice(0, 80)}`);
  return (r as { error: string }).error;
}

describe('change request panel protocol: messages from the webview', () => {
  it('accepts each valid message and returns exactly its known fields', () => {
    const valid: unknown[] = [
      { type: 'ready' },
      { type: 'reload' },
      { type: 'listTypes' },
      { type: 'dirty', dirty: true },
      { type: 'save', fields: fields() },
      { type: 'resolve', choices: { name: 'mine', overview: 'theirs' } },
      { type: 'transition', to: 'Pending approval' },
      { type: 'transition', to: 'Approved', comment: 'looks good' },
      { type: 'listComponents', componentType: 'ApexClass', query: 'Gree' },
      { type: 'openDeployment' },
    ];
    for (const m of valid) {
      const r = parseFromWebview(m);
      assert.ok(r.ok, `accepted: ${JSON.stringify(m)}`);
      assert.deepEqual(r.value, m);
    }
  });

  it('drops properties it does not know (nothing unexpected reaches the host)', () => {
    const r = parseFromWebview({ type: 'save', fields: { ...fields(), status: 'Approved', id: 'x' }, extra: 1 });
    assert.ok(r.ok);
    assert.deepEqual(r.value, { type: 'save', fields: fields() });
    // Open Deployment names no record: the host opens the one its CR links to, never one the webview picks.
    const open = parseFromWebview({ type: 'openDeployment', environment: 'Production', id: 'a0X000000000001AAA' });
    assert.deepEqual(open.ok && open.value, { type: 'openDeployment' });
    const t = parseFromWebview({ type: 'dirty', dirty: false, html: '<b>x</b>' });
    assert.deepEqual(t.ok && t.value, { type: 'dirty', dirty: false });
  });

  it('refuses what is not a message, unknown types and malformed fields', () => {
    for (const x of [null, undefined, 42, 'save', [], {}, { type: 3 }]) refused(x);
    assert.match(refused({ type: 'deleteEverything' }), /unknown message type deleteEverything/);
    assert.match(refused({ type: 'dirty', dirty: 'yes' }), /dirty must be true or false/);
    assert.match(refused({ type: 'save' }), /fields must be an object/);
    assert.match(refused({ type: 'save', fields: { ...fields(), name: 7 } }), /name must be text/);
    assert.match(refused({ type: 'save', fields: { ...fields(), changeType: 'Magic' } }), /unknown change type/);
    assert.match(refused({ type: 'save', fields: { ...fields(), overview: null } }), /overview must be text/);
    assert.match(refused({ type: 'save', fields: { ...fields(), customizations: [{ type: 'ApexClass' }] } }), /customizations needs a type and a full name/);
    assert.match(refused({ type: 'save', fields: { ...fields(), proposedCustomizations: 'Flow X' } }), /proposed customizations must be a list/);
    assert.match(refused({ type: 'save', fields: { ...fields(), approvers: [5] } }), /approvers must be a list of user ids/);
    assert.match(refused({ type: 'resolve', choices: { name: 'both' } }), /"mine" or "theirs"/);
    assert.match(refused({ type: 'resolve', choices: { __proto__x: 'mine' } }), /unknown field/);
    assert.match(refused({ type: 'resolve', choices: { lastModified: 'mine' } }), /unknown field lastModified/);
    assert.match(refused({ type: 'resolve', choices: { toString: 'mine' } }), /unknown field toString/, 'inherited names are not fields');
    assert.match(refused({ type: 'transition', to: 'Deleted' }), /unknown status/);
    assert.match(refused({ type: 'transition', to: 'Approved', comment: 5 }), /comment must be text/);
    assert.match(refused({ type: 'listComponents', componentType: '', query: '' }), /componentType/);
    assert.match(refused({ type: 'listComponents', componentType: 'ApexClass' }), /query must be text/);
  });

  it('refuses oversized messages instead of passing them on', () => {
    assert.match(refused({ type: 'save', fields: { ...fields(), name: 'x'.repeat(LIMITS.name + 1) } }), /name must be text/);
    assert.match(refused({ type: 'save', fields: { ...fields(), overview: 'x'.repeat(LIMITS.overview + 1) } }), /overview/);
    const many = Array.from({ length: LIMITS.list + 1 }, (_, i) => ({ type: 'ApexClass', fullName: `C${i}` }));
    assert.match(refused({ type: 'save', fields: { ...fields(), customizations: many } }), /at most 5000/);
    assert.match(refused({ type: 'save', fields: { ...fields(), customizations: [{ type: 'ApexClass', fullName: 'x'.repeat(LIMITS.component + 1) }] } }), /up to 255/);
    assert.match(refused({ type: 'transition', to: 'Rejected', comment: 'x'.repeat(LIMITS.comment + 1) }), /comment/);
    assert.match(refused({ type: 'listComponents', componentType: 'ApexClass', query: 'q'.repeat(LIMITS.query + 1) }), /query/);
  });

  it('keeps names the rules refuse (empty, over 80) so the host can say what to fix', () => {
    for (const name of ['', '   ', 'n'.repeat(81)]) assert.ok(parseFromWebview({ type: 'save', fields: { ...fields(), name } }).ok);
  });
});

describe('change request panel protocol: restored webview state', () => {
  it('restores the environment, id, draft and comment', () => {
    const s = parseWebviewState({ environment: 'UAT', id: 'a0B000000000001AAA', draft: fields(), comment: 'ok' });
    assert.deepEqual(s, { environment: 'UAT', id: 'a0B000000000001AAA', draft: fields(), comment: 'ok' });
  });
  it('drops a broken draft but keeps the panel; refuses a state without a usable id', () => {
    assert.deepEqual(parseWebviewState({ environment: 'UAT', id: 'a0B000000000001', draft: { name: 1 } }), { environment: 'UAT', id: 'a0B000000000001' });
    assert.equal(parseWebviewState(undefined), undefined);
    assert.equal(parseWebviewState({ environment: 'UAT', id: "x' OR Name != '" }), undefined);
    assert.equal(parseWebviewState({ environment: '', id: 'a0B000000000001' }), undefined);
  });
});

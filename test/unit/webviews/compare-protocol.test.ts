import * as assert from 'node:assert/strict';
import { InvalidMessageError, MAX_REFS, parseCompareMessage, parseWebviewState } from '../../../src/shared/compareProtocol';

describe('compare panel protocol: messages from the webview', () => {
  it('accepts each message the panel sends, keeping only known fields', () => {
    assert.deepEqual(parseCompareMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseCompareMessage({ type: 'exportCsv' }), { type: 'exportCsv' });
    assert.deepEqual(parseCompareMessage({ type: 'refresh', full: true }), { type: 'refresh', full: true });
    assert.deepEqual(parseCompareMessage({ type: 'openDiff', ref: { type: 'ApexClass', fullName: 'A', x: 2 } }), { type: 'openDiff', ref: { type: 'ApexClass', fullName: 'A' } });
    assert.deepEqual(parseCompareMessage({ type: 'openDiff', ref: { type: 'LightningComponentBundle', fullName: 'card' }, path: 'lwc/card/card.js' }), {
      type: 'openDiff',
      ref: { type: 'LightningComponentBundle', fullName: 'card' },
      path: 'lwc/card/card.js',
    });
    assert.deepEqual(parseCompareMessage({ type: 'createChangeRequest', refs: [{ type: 'Flow', fullName: 'F' }] }), { type: 'createChangeRequest', refs: [{ type: 'Flow', fullName: 'F' }] });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', 'ready', /not an object/],
    ['an unknown type', { type: 'runScript' }, /unknown message type "runScript"/],
    ['refresh without full', { type: 'refresh' }, /refresh\.full/],
    ['refresh with a string', { type: 'refresh', full: 'yes' }, /refresh\.full/],
    ['a diff without a ref', { type: 'openDiff' }, /openDiff\.ref/],
    ['a ref with an empty name', { type: 'openDiff', ref: { type: 'ApexClass', fullName: '' } }, /openDiff\.ref\.fullName/],
    ['a ref with a number type', { type: 'openDiff', ref: { type: 3, fullName: 'x' } }, /openDiff\.ref\.type/],
    ['a path escaping the component', { type: 'openDiff', ref: { type: 'ApexClass', fullName: 'A' }, path: '../../etc/passwd' }, /relative path/],
    ['an absolute path', { type: 'openDiff', ref: { type: 'ApexClass', fullName: 'A' }, path: '/etc/passwd' }, /relative path/],
    ['an empty selection', { type: 'createChangeRequest', refs: [] }, /1 to/],
    ['a selection that is not a list', { type: 'createChangeRequest', refs: { type: 'A', fullName: 'B' } }, /1 to/],
    ['a selection with a bad entry', { type: 'createChangeRequest', refs: [{ type: 'A', fullName: 'B' }, null] }, /refs\[1\]/],
    ['a huge name', { type: 'openDiff', ref: { type: 'ApexClass', fullName: 'x'.repeat(5000) } }, /at most/],
  ];
  for (const [what, msg, reason] of bad) {
    it(`refuses ${what}, saying why`, () => {
      assert.throws(() => parseCompareMessage(msg), (e: Error) => e instanceof InvalidMessageError && reason.test(e.message));
    });
  }

  it('refuses a selection of more components than a compare can hold', () => {
    const refs = Array.from({ length: MAX_REFS + 1 }, (_, i) => ({ type: 'ApexClass', fullName: `C${i}` }));
    assert.throws(() => parseCompareMessage({ type: 'createChangeRequest', refs }), InvalidMessageError);
  });

  it('reads back a saved panel state only when it names two environments', () => {
    assert.deepEqual(parseWebviewState({ sourceEnv: 'UAT', targetEnv: 'Production', junk: 1 }), { sourceEnv: 'UAT', targetEnv: 'Production' });
    assert.equal(parseWebviewState({ sourceEnv: 'UAT' }), undefined);
    assert.equal(parseWebviewState({ sourceEnv: '', targetEnv: 'x' }), undefined);
    assert.equal(parseWebviewState(null), undefined);
    assert.equal(parseWebviewState('UAT'), undefined);
  });
});

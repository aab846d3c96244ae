import * as assert from 'node:assert/strict';
import { MAX_LISTING_AGE_MS } from '../../../src/core/compare';
import { BehindMemos, changeMark, historySignature, memoCandidate, type BehindMemo } from '../../../src/core/promotion/behind-memo';
import { c, deploy, digests } from './fixtures';

const NOW = Date.parse('2026-12-07T03:00:00Z');
const mark = (revision: string, listedAt = '2026-12-07T02:00:00.000Z') => ({ revision, listedAt });

function memoOf(signature: string, lower = mark('10'), upper = mark('20')): BehindMemo {
  return { signature, lower, upper, components: 2, digests: { upper: digests({ 'ApexClass:A': 'a2' }), lower: digests({ 'ApexClass:A': 'a1' }) } };
}

describe('promotion: deployments behind counted again without comparing (memo)', () => {
  const a = deploy('2026-12-06T10:00:00Z', [c('ApexClass', 'A')], { source: 'out-of-band' });
  const b = deploy('2026-12-06T11:00:00Z', [c('ApexClass', 'B', { digest: 'b1' })]);

  it('gives the same signature for the same history, and another one for a new deployment, a status change, other components or another "since"', () => {
    const sig = historySignature([b, a], undefined);
    assert.equal(historySignature([{ ...b }, { ...a }], undefined), sig, 'same deployments, new objects');
    const newer = deploy('2026-12-06T12:00:00Z', [c('ApexClass', 'A')], { source: 'out-of-band' });
    assert.notEqual(historySignature([newer, b, a], undefined), sig, 'a new deploy to the upper org (any tool)');
    assert.notEqual(historySignature([{ ...b, status: 'InProgress' }, a], undefined), sig);
    assert.notEqual(historySignature([b, { ...a, components: undefined }], undefined), sig, 'components no longer known');
    assert.notEqual(historySignature([b, { ...a, components: [c('ApexClass', 'A'), c('ApexClass', 'C')] }], undefined), sig);
    assert.notEqual(historySignature([{ ...b, components: [c('ApexClass', 'B')] }, a], undefined), sig, "the package's fingerprints could not be read this time");
    assert.notEqual(historySignature([b, a], '2026-12-06T10:30:00Z'), sig);
  });

  it('stands only for the same history and both orgs at the same change-log revision of the same, fresh listing', () => {
    const sig = historySignature([b, a], undefined);
    const memo = memoOf(sig);
    assert.equal(memoCandidate(memo, sig, mark('10'), mark('20'), NOW), true);
    assert.equal(memoCandidate(undefined, sig, mark('10'), mark('20'), NOW), false, 'never counted');
    assert.equal(memoCandidate(memo, historySignature([a], undefined), mark('10'), mark('20'), NOW), false, 'the history differs');
    assert.equal(memoCandidate(memo, sig, mark('11'), mark('20'), NOW), false, 'a compare moved the lower listing on');
    assert.equal(memoCandidate(memo, sig, mark('10'), mark('20', '2026-12-07T02:30:00.000Z'), NOW), false, 'the upper org was listed in full again');
    assert.equal(memoCandidate(memo, sig, undefined, mark('20'), NOW), false, 'no kept listing (no change log, or the cache was cleared)');
    const old = memoOf(sig, mark('10', new Date(NOW - MAX_LISTING_AGE_MS - 1).toISOString()));
    assert.equal(memoCandidate(old, sig, old.lower, mark('20'), NOW), false, 'a day-old listing is listed in full by the next compare');
  });

  it('takes the change mark from a kept listing', () => {
    assert.deepEqual(changeMark({ revision: '7', listedAt: '2026-12-07T01:00:00.000Z' }), { revision: '7', listedAt: '2026-12-07T01:00:00.000Z' });
    assert.equal(changeMark(undefined), undefined);
  });

  it('keeps at most its bound of pairs, dropping the least recently used', () => {
    const memos = new BehindMemos(2);
    memos.set('dev|uat', memoOf('1'));
    memos.set('uat|prod', memoOf('2'));
    assert.equal(memos.get('dev|uat')?.signature, '1'); // used: now the most recent
    memos.set('dev2|uat', memoOf('3'));
    assert.equal(memos.size, 2);
    assert.equal(memos.get('uat|prod'), undefined);
    assert.equal(memos.get('dev|uat')?.signature, '1');
    memos.delete('dev|uat');
    assert.equal(memos.get('dev|uat'), undefined);
  });
});

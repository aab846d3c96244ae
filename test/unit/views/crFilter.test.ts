import * as assert from 'node:assert/strict';
import { newDraft, type ChangeRequest, type CrStatus } from '../../../src/core/change-requests';
import { describeFilter, filterActive, groupByStatus, matchesFilter, sameUser } from '../../../src/views/crFilter';

const ME = '005000000000001AAA';
const OTHER = '005000000000002AAA';

function cr(number: string, name: string, status: CrStatus, extra: Partial<ChangeRequest> = {}): ChangeRequest {
  return { ...newDraft({ name }), number, status, ...extra };
}

describe('tree change request filter', () => {
  const items = [
    cr('CR-00001', 'Add discount field', 'Draft', { createdBy: ME, customizations: [{ type: 'CustomField', fullName: 'Opportunity.Discount__c' }] }),
    cr('CR-00002', 'Fix greeting', 'Pending approval', { createdBy: OTHER, submittedBy: ME.slice(0, 15) }),
    cr('CR-00003', 'Layout tweaks', 'Draft', { createdBy: OTHER, proposedCustomizations: [{ type: 'Layout', fullName: 'Account-Account Layout' }] }),
    cr('CR-00004', 'Old thing', 'Cancelled', { createdBy: OTHER }),
  ];
  const shown = (text: string, mine = false) => items.filter((c) => matchesFilter(c, { text, mine }, ME)).map((c) => c.number);

  it('matches number, name and customization full names, ignoring case', () => {
    assert.deepEqual(shown('cr-00003'), ['CR-00003']);
    assert.deepEqual(shown('DISCOUNT'), ['CR-00001']);
    assert.deepEqual(shown('account layout'), ['CR-00003']);
    assert.deepEqual(shown('  '), ['CR-00001', 'CR-00002', 'CR-00003', 'CR-00004']);
    assert.deepEqual(shown('nothing like this'), []);
  });

  it('"mine" keeps CRs the user created or submitted, comparing 15-character ids', () => {
    assert.deepEqual(shown('', true), ['CR-00001', 'CR-00002']);
    assert.deepEqual(shown('fix', true), ['CR-00002']);
    assert.ok(sameUser(ME, ME.slice(0, 15)));
    assert.ok(!sameUser('005Ab0000000001', '005aB0000000001'), 'ids are case-sensitive');
    assert.ok(!sameUser(undefined, ME));
  });

  it('groups by status in status order, leaving out empty statuses', () => {
    const groups = groupByStatus(items);
    assert.deepEqual(
      groups.map((g) => [g.status, g.items.map((c) => c.number)]),
      [
        ['Draft', ['CR-00001', 'CR-00003']],
        ['Pending approval', ['CR-00002']],
        ['Cancelled', ['CR-00004']],
      ],
    );
  });

  it('describes the active filter for the view title', () => {
    assert.equal(describeFilter({ text: '', mine: false }), undefined);
    assert.equal(filterActive({ text: ' ', mine: false }), false);
    assert.equal(describeFilter({ text: 'discount', mine: true }), 'filter: "discount" · only mine');
    assert.equal(filterActive({ text: '', mine: true }), true);
  });
});

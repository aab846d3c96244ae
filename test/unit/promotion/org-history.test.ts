import * as assert from 'node:assert/strict';
import type { OrgDeployRow } from '../../../src/core/deployments';
import { componentCountText, deployedComponents, describeFilter, filterLog, joinHistory, newestFirst, statusLabel, testCountText } from '../../../src/core/promotion';

const row = (id: string, createdDate: string | undefined, extra: Partial<OrgDeployRow> = {}): OrgDeployRow => ({ id, status: 'Succeeded', checkOnly: false, createdDate, ...extra });

describe('promotion: an org deployment history joined with Changeline marks', () => {
  it("marks the rows whose id a Changeline record names (15- or 18-character ids), the others out of band, newest first", () => {
    const rows = [
      row('0Af000000000001AAA', '2024-05-01T10:00:00.000Z', { createdByName: 'Ana Ruiz', numberComponentsTotal: 2, numberTestsTotal: 3, numberTestErrors: 1 }),
      row('0Af000000000002AAA', '2024-05-03T10:00:00.000Z', { checkOnly: true }),
      row('0Af000000000003AAA', '2024-05-02T10:00:00.000Z', { status: 'Failed', errorMessage: 'boom' }),
    ];
    const list = joinHistory(rows, [
      { deployIds: ['0Af000000000001'], label: 'DEP-00001', crNumbers: ['CR-00007'], env: 'Dev', recordId: 'a01' },
      { deployIds: ['0Af000000000002AAA'], message: 'Send to UAT: greeting' },
    ]);
    assert.deepEqual(list.map((d) => d.id), ['0Af000000000002AAA', '0Af000000000003AAA', '0Af000000000001AAA']);
    const [validation, failed, deploy] = list;
    assert.equal(validation.source, 'changeline');
    assert.equal(validation.checkOnly, true);
    assert.equal(validation.message, 'Send to UAT: greeting');
    assert.equal(failed.source, 'out-of-band');
    assert.equal(failed.errorMessage, 'boom');
    assert.equal(failed.crNumbers, undefined);
    assert.equal(deploy.source, 'changeline');
    assert.deepEqual(deploy.crNumbers, ['CR-00007']);
    assert.deepEqual(deploy.mark, { label: 'DEP-00001', env: 'Dev', recordId: 'a01' });
    assert.equal(deploy.createdByName, 'Ana Ruiz');
    assert.equal(deploy.componentsTotal, 2);
    assert.equal(deploy.testErrors, 1);
  });

  it('keeps undated rows last in their order', () => {
    const list = newestFirst([{ createdDate: undefined, id: 'a' }, { createdDate: '2024-01-01T00:00:00Z', id: 'b' }, { id: 'c' }, { createdDate: '2024-02-01T00:00:00Z', id: 'd' }]);
    assert.deepEqual(list.map((d) => d.id), ['d', 'b', 'a', 'c']);
  });

  it('takes the components of a deploy result: successes with their state once each, failed errors as Failed, warnings not', () => {
    const list = deployedComponents(
      [
        { type: 'ApexClass', fullName: 'A', state: 'Created' },
        { type: 'ApexClass', fullName: 'A', state: 'Created' },
        { type: 'CustomObject', fullName: 'Thing__c', state: 'Deleted' },
      ],
      [
        { type: 'ApexClass', fullName: 'B', problem: 'x', problemType: 'Error' },
        { type: 'ApexClass', fullName: 'C', problem: 'careful', problemType: 'Warning' },
      ],
    );
    assert.deepEqual(list, [
      { type: 'ApexClass', fullName: 'A', state: 'Created' },
      { type: 'CustomObject', fullName: 'Thing__c', state: 'Deleted' },
      { type: 'ApexClass', fullName: 'B', state: 'Failed' },
    ]);
  });
});

describe('promotion: the deployment log filter', () => {
  const list = joinHistory(
    [
      row('0Af000000000001AAA', '2024-05-01T10:00:00.000Z', { createdByName: 'Ana Ruiz' }),
      row('0Af000000000002AAA', '2024-05-02T10:00:00.000Z', { checkOnly: true }),
      row('0Af000000000003AAA', '2024-05-03T10:00:00.000Z', { status: 'Failed', errorMessage: 'Apex compile error', createdByName: 'Carol Diaz' }),
      row('0Af000000000004AAA', '2024-05-04T10:00:00.000Z', { status: 'InProgress' }),
      row('0Af000000000005AAA', '2024-05-05T10:00:00.000Z', { status: 'SucceededPartial' }),
    ],
    [{ deployIds: ['0Af000000000001AAA', '0Af000000000002AAA'], label: 'DEP-00009', crNumbers: ['CR-00042'], message: 'Tier badge' }],
  );
  const ids = (l: Array<{ id: string }>) => l.map((d) => d.id.slice(13, 15));

  it('keeps the status groups asked for (partly succeeded counts as succeeded)', () => {
    assert.deepEqual(ids(filterLog(list, { status: ['succeeded'] })), ['05', '02', '01']);
    assert.deepEqual(ids(filterLog(list, { status: ['failed', 'running'] })), ['04', '03']);
  });

  it('keeps one source, validations or deploys, and every word of the text in any field, any case', () => {
    assert.deepEqual(ids(filterLog(list, { source: 'changeline' })), ['02', '01']);
    assert.deepEqual(ids(filterLog(list, { source: 'changeline', checkOnly: false })), ['01']);
    assert.deepEqual(ids(filterLog(list, { checkOnly: true })), ['02']);
    assert.deepEqual(ids(filterLog(list, { text: 'cr-00042 badge' })), ['02', '01']);
    assert.deepEqual(ids(filterLog(list, { text: 'carol compile' })), ['03']);
    assert.deepEqual(ids(filterLog(list, { text: 'dep-00009 carol' })), []);
    assert.deepEqual(ids(filterLog(list, {})), ['05', '04', '03', '02', '01']);
  });

  it('says what it shows', () => {
    assert.equal(statusLabel('SucceededPartial'), 'Partly succeeded');
    assert.equal(componentCountText({ componentsTotal: 3, componentErrors: 1 }), '3 components (1 error)');
    assert.equal(testCountText({ testsTotal: 1 }), '1 test');
    assert.equal(testCountText({ testsTotal: 0 }), 'no tests');
    assert.equal(describeFilter({ status: ['failed'], source: 'out-of-band', checkOnly: false, text: ' hotfix ' }), 'failed, out of band, deploys, containing "hotfix"');
  });
});

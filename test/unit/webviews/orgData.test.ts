import * as assert from 'node:assert/strict';
import { validateFields, newDraft } from '../../../src/core/change-requests';
import { metadataTypeNames, type MetadataTypeInfo } from '../../../src/core/metadata-types';
import type { WorkflowDeps } from '../../../src/workflows/types';
import { OrgDataCache } from '../../../src/webviews/changeRequest/orgData';

/** What describeMetadata gives for a few types: parents with their childXmlNames. */
const DESCRIBED: MetadataTypeInfo[] = [
  { name: 'ApexClass', directoryName: 'classes', inFolder: false, metaFile: true, suffix: 'cls', childXmlNames: [] },
  {
    name: 'CustomObject',
    directoryName: 'objects',
    inFolder: false,
    metaFile: false,
    suffix: 'object',
    childXmlNames: ['CustomField', 'Index', 'BusinessProcess', 'CompactLayout', 'RecordType', 'WebLink', 'ValidationRule', 'SharingReason', 'ListView', 'FieldSet'],
  },
  { name: 'CustomLabels', directoryName: 'labels', inFolder: false, metaFile: false, suffix: 'labels', childXmlNames: ['CustomLabel'] },
  { name: 'Workflow', directoryName: 'workflows', inFolder: false, metaFile: false, suffix: 'workflow', childXmlNames: ['WorkflowRule', 'CustomLabel'] },
];

function cacheOver(types: MetadataTypeInfo[]): OrgDataCache {
  const deps = {
    salesforce: async () => ({ describeTypes: async () => types }),
    sessions: { get: async () => ({ handle: {} }) },
  } as unknown as WorkflowDeps;
  return new OrgDataCache(deps);
}

describe('metadata types a CR may name', () => {
  it('child types of describeMetadata are types too, listed once and sorted', () => {
    const names = metadataTypeNames(DESCRIBED);
    for (const t of ['CustomField', 'ValidationRule', 'RecordType', 'ListView', 'WebLink', 'FieldSet', 'BusinessProcess', 'CompactLayout', 'SharingReason', 'Index', 'CustomLabel', 'WorkflowRule']) {
      assert.ok(names.includes(t), `${t} accepted`);
    }
    assert.equal(names.filter((n) => n === 'CustomLabel').length, 1, 'a child of two parents once');
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
  });

  it('the editor\'s type list accepts a proposed CustomField and still refuses a misspelling', async () => {
    const known = await cacheOver(DESCRIBED).metadataTypes('UAT');
    const cr = newDraft({ name: 'Invoice discount', proposedCustomizations: [{ type: 'CustomField', fullName: 'Invoice__c.Discount__c' }] });
    assert.deepEqual(validateFields(cr, known), { ok: true });
    const typo = validateFields({ ...cr, proposedCustomizations: [{ type: 'CustomFeild', fullName: 'Invoice__c.Discount__c' }] }, known);
    assert.equal(typo.ok, false);
    assert.match((typo as { reason: string }).reason, /"CustomFeild" \(for Invoice__c.Discount__c\) is not a metadata type this org knows/);
  });
});

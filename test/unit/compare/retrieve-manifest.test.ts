import * as assert from 'node:assert/strict';
import { retrieveManifest } from '../../../src/salesforce/metadata/retrieve-manifest';
import { componentSetOf } from '../../../src/salesforce/metadata/retrieve';

describe('compare: retrieve manifest built without an SDR ComponentSet', () => {
  it('is the manifest SDR builds for the same components', async () => {
    const refs = [
      { type: 'ApexClass', fullName: 'Zeta' },
      { type: 'ApexClass', fullName: 'Alpha' },
      { type: 'ApexClass', fullName: 'Alpha' },
      { type: 'CustomObject', fullName: 'Account' },
      { type: 'CustomField', fullName: 'Account.Rating__c' },
      { type: 'ListView', fullName: 'Account.All' },
      { type: 'CustomLabel', fullName: 'Greeting' },
      { type: 'CustomLabels', fullName: 'CustomLabels' },
      { type: 'ReportFolder', fullName: 'Sales' },
      { type: 'Report', fullName: 'Sales/Pipeline' },
      { type: 'DashboardFolder', fullName: 'Exec/' },
      { type: 'Dashboard', fullName: 'Exec/Overview' },
      { type: 'EmailFolder', fullName: 'Letters' },
      { type: 'EmailTemplate', fullName: 'Letters/Welcome' },
      { type: 'DocumentFolder', fullName: 'Shared' },
      { type: 'LightningComponentBundle', fullName: 'myCard' },
      { type: 'StaticResource', fullName: 'logo' },
      { type: 'Profile', fullName: 'Admin' },
      { type: 'RecordType', fullName: 'Account.Partner' },
      { type: 'CustomMetadata', fullName: 'App_Config.Default' },
    ];
    const set = componentSetOf(refs);
    set.apiVersion = '62.0';
    set.sourceApiVersion = '62.0';
    const sdr = (await set.getObject()).Package;
    assert.deepEqual(retrieveManifest(refs, '62.0'), { types: sdr.types, version: sdr.version });
  });

  it('refuses an unknown type or a component without a name, as the retrieve does', () => {
    assert.throws(() => retrieveManifest([{ type: 'NoSuchType', fullName: 'X' }], '62.0'), /"NoSuchType" is not a metadata type/);
    assert.throws(() => retrieveManifest([{ type: 'ApexClass', fullName: '' }], '62.0'), /needs a type and a fullName/);
  });
});

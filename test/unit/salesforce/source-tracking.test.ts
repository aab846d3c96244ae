import * as assert from 'node:assert/strict';
import { listingTypesOf } from '../../../src/salesforce/metadata/source-tracking';

describe('source tracking: which listings a change affects', () => {
  it('a plain type is listed again on its own', () => {
    assert.deepEqual(listingTypesOf('ApexClass'), ['ApexClass']);
    assert.deepEqual(listingTypesOf('CustomField'), ['CustomField']);
  });

  it('a foldered type brings its folders, and a folder its content', () => {
    assert.deepEqual(listingTypesOf('Report'), ['Report', 'ReportFolder']);
    assert.deepEqual(listingTypesOf('ReportFolder'), ['ReportFolder', 'Report']);
    assert.deepEqual(listingTypesOf('EmailFolder').sort(), ['EmailFolder', 'EmailTemplate']);
  });

  it("a file of an LWC or Aura bundle (its own SourceMember type) lists the bundle's type again", () => {
    assert.deepEqual(listingTypesOf('LightningComponentResource'), ['LightningComponentBundle']);
    assert.deepEqual(listingTypesOf('AuraDefinition'), ['AuraDefinitionBundle']);
  });

  it('a type compare cannot list is left out', () => {
    assert.deepEqual(listingTypesOf('NoSuchMetadataType'), []);
  });
});

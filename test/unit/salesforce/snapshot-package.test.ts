import * as assert from 'node:assert/strict';
import { readZip, writeZip } from '../../../src/salesforce/compare/zip-codec';
import { buildRevertPackage, buildSnapshot, readSnapshotManifest, SNAPSHOT_MANIFEST, type SnapshotManifest } from '../../../src/salesforce/metadata/snapshot-package';

const text = (b: Buffer | undefined) => b?.toString('utf8') ?? '';
const retrieved = () =>
  writeZip([
    ['unpackaged/package.xml', Buffer.from('<?xml version="1.0"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>Greeter</members><members>Other</members><name>ApexClass</name></types><version>61.0</version></Package>')],
    ['unpackaged/classes/Greeter.cls', Buffer.from('class Greeter {}')],
    ['unpackaged/classes/Greeter.cls-meta.xml', Buffer.from('<ApexClass/>')],
    ['unpackaged/classes/Other.cls', Buffer.from('class Other {}')],
    ['unpackaged/objects/Account.object', Buffer.from('<CustomObject><fields><fullName>Tier__c</fullName></fields></CustomObject>')],
  ]);
const MANIFEST: SnapshotManifest = {
  version: 1,
  target: 'UAT',
  takenAt: '2026-03-01T10:00:00.000Z',
  existed: [
    { type: 'ApexClass', fullName: 'Greeter' },
    { type: 'ApexClass', fullName: 'Other' },
    { type: 'CustomField', fullName: 'Account.Tier__c' },
  ],
  absent: [{ type: 'LightningComponentBundle', fullName: 'badge' }],
};

describe('salesforce: the snapshot file and the revert package built from it', () => {
  it('keeps the retrieved files and the manifest; reads the manifest back', () => {
    const snap = buildSnapshot(retrieved(), MANIFEST);
    const entries = readZip(snap, 1e8);
    assert.equal(text(entries.get('unpackaged/classes/Greeter.cls')), 'class Greeter {}');
    assert.ok(entries.has(SNAPSHOT_MANIFEST));
    assert.deepEqual(readSnapshotManifest(snap), MANIFEST);
  });

  it("keeps the retrieved zip's own entries byte for byte, the manifest added after them", () => {
    const zip = retrieved();
    const snap = buildSnapshot(zip, MANIFEST);
    const cdOffset = zip.readUInt32LE(zip.length - 22 + 16);
    assert.ok(snap.subarray(0, cdOffset).equals(zip.subarray(0, cdOffset)), 'the files are not written again');
    assert.deepEqual([...readZip(snap, 1e8).keys()], [...readZip(zip, 1e8).keys(), SNAPSHOT_MANIFEST]);
  });

  it('a retrieved zip already holding a file named like the manifest: that file is replaced, not doubled', () => {
    const zip = writeZip([
      ['unpackaged/classes/Greeter.cls', Buffer.from('class Greeter {}')],
      [SNAPSHOT_MANIFEST, Buffer.from('{"not":"ours"}')],
    ]);
    const snap = buildSnapshot(zip, MANIFEST);
    assert.deepEqual([...readZip(snap, 1e8).keys()], ['unpackaged/classes/Greeter.cls', SNAPSHOT_MANIFEST]);
    assert.deepEqual(readSnapshotManifest(snap), MANIFEST);
  });

  it('a retrieved zip with an archive comment (another writer): the manifest still added and read back', () => {
    const zip = retrieved();
    const comment = Buffer.from('written elsewhere');
    const withComment = Buffer.concat([zip.subarray(0, zip.length - 2), Buffer.from([comment.length, 0]), comment]);
    const snap = buildSnapshot(withComment, MANIFEST);
    assert.equal(text(readZip(snap, 1e8).get('unpackaged/classes/Other.cls')), 'class Other {}');
    assert.deepEqual(readSnapshotManifest(snap), MANIFEST);
  });

  it('a target that had none of the components: the manifest alone', () => {
    const snap = buildSnapshot(undefined, { ...MANIFEST, existed: [] });
    assert.deepEqual([...readZip(snap, 1e8).keys()], [SNAPSHOT_MANIFEST]);
  });

  it('refuses a file without a readable manifest, saying it cannot revert with it', () => {
    assert.throws(() => readSnapshotManifest(retrieved()), /has no readable changeline-snapshot\.json; .* cannot be reverted with it/);
    assert.throws(() => readSnapshotManifest(Buffer.from('not a zip')), /not a readable zip/);
  });

  it('the revert package: package.xml names only the components to restore (the API deploys what it lists), destructiveChanges.xml the ones to delete', () => {
    const zip = buildRevertPackage(buildSnapshot(retrieved(), MANIFEST), [{ type: 'ApexClass', fullName: 'Greeter' }, { type: 'CustomField', fullName: 'Account.Tier__c' }], [{ type: 'LightningComponentBundle', fullName: 'badge' }]);
    const e = readZip(zip, 1e8);
    assert.ok(!e.has(SNAPSHOT_MANIFEST), 'the manifest is not deployed');
    const pkg = text(e.get('unpackaged/package.xml'));
    assert.match(pkg, /<types>\s*<members>Account\.Tier__c<\/members>\s*<name>CustomField<\/name>\s*<\/types>/);
    assert.match(pkg, /<members>Greeter<\/members>\s*<name>ApexClass<\/name>/);
    assert.doesNotMatch(pkg, /Other/, 'a skipped component is not listed');
    assert.match(pkg, /<version>61\.0<\/version>/, "the snapshot's API version");
    assert.match(text(e.get('unpackaged/destructiveChanges.xml')), /<members>badge<\/members>\s*<name>LightningComponentBundle<\/name>/);
    assert.equal(text(e.get('unpackaged/classes/Greeter.cls')), 'class Greeter {}');
  });

  it('a delete-only revert: an empty package.xml, the deletions, no files', () => {
    const e = readZip(buildRevertPackage(buildSnapshot(retrieved(), MANIFEST), [], [{ type: 'ApexClass', fullName: 'Badge' }]), 1e8);
    assert.deepEqual([...e.keys()].sort(), ['unpackaged/destructiveChanges.xml', 'unpackaged/package.xml']);
    assert.doesNotMatch(text(e.get('unpackaged/package.xml')), /<types>/);
  });
});

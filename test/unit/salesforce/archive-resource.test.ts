import * as assert from 'node:assert/strict';
import JSZip from 'jszip';
import { diffDigests, digestComponent } from '../../../src/core/compare/component-diff';
import { archiveEntries, contentTypeOf, withArchiveEntries } from '../../../src/salesforce/compare/archive-resource';
import { componentsFromZip } from '../../../src/salesforce/compare/compare-zip';
import { writeZip } from '../../../src/salesforce/compare/zip-codec';

/** A folder static resource as SDR zips it at deploy time: every entry stamped with `date`. */
async function resourceZip(files: Record<string, string | Buffer>, date: Date): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data, { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]);
const LEAFLET = {
  'leaflet.js': '/* Leaflet 1.9.4 */\nwindow.L = {};\n',
  'css/leaflet.css': '.leaflet-pane { z-index: 400; }\n',
  'images/marker-icon.png': PNG,
};
const meta = (type = 'application/zip') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">\n    <cacheControl>Public</cacheControl>\n    <contentType>${type}</contentType>\n</StaticResource>\n`;

/** A metadata-format retrieve zip holding one static resource. */
function retrieveZip(body: Buffer, type = 'application/zip'): Buffer {
  const pkg = '<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>leafletjs</members><name>StaticResource</name></types><version>62.0</version></Package>\n';
  return writeZip([
    ['unpackaged/package.xml', Buffer.from(pkg)],
    ['unpackaged/staticresources/leafletjs.resource', body],
    ['unpackaged/staticresources/leafletjs.resource-meta.xml', Buffer.from(meta(type))],
  ]);
}

async function digestOf(body: Buffer, type?: string) {
  const [c] = await componentsFromZip(retrieveZip(body, type));
  assert.equal(`${c.type}:${c.fullName}`, 'StaticResource:leafletjs');
  return { files: c.files, digest: digestComponent(c.files) };
}

describe('archive static resources are compared by their entries', function () {
  this.timeout(20_000);
  const monday = new Date(2026, 0, 5, 9, 0, 0);
  const tuesday = new Date(2026, 0, 6, 17, 30, 4);

  it('two zips of the same files made at different times are identical, though their bytes differ', async () => {
    const a = await resourceZip(LEAFLET, monday);
    const b = await resourceZip(LEAFLET, tuesday);
    assert.notDeepEqual(a, b, 'the zips differ by their entry times');
    const left = await digestOf(a);
    const right = await digestOf(b);
    assert.equal(left.digest.fingerprint, right.digest.fingerprint);
    assert.deepEqual(diffDigests(left.digest, right.digest), { status: 'identical', differingFiles: [] });
  });

  it('the files are the entries, where they sit in the source folder, next to the -meta.xml', async () => {
    const { files } = await digestOf(await resourceZip(LEAFLET, monday));
    assert.deepEqual([...files.keys()].sort(), [
      'staticresources/leafletjs.resource-meta.xml',
      'staticresources/leafletjs/css/leaflet.css',
      'staticresources/leafletjs/images/marker-icon.png',
      'staticresources/leafletjs/leaflet.js',
    ]);
    assert.equal(Buffer.from(files.get('staticresources/leafletjs/css/leaflet.css') as Uint8Array).toString('utf8'), LEAFLET['css/leaflet.css']);
    assert.deepEqual(Buffer.from(files.get('staticresources/leafletjs/images/marker-icon.png') as Uint8Array), PNG);
  });

  it('a changed, added or removed entry is different, and named', async () => {
    const base = await digestOf(await resourceZip(LEAFLET, monday));
    const changed = await digestOf(await resourceZip({ ...LEAFLET, 'css/leaflet.css': '.leaflet-pane { z-index: 401; }\n' }, monday));
    assert.deepEqual(diffDigests(base.digest, changed.digest), {
      status: 'different',
      differingFiles: [{ path: 'staticresources/leafletjs/css/leaflet.css', change: 'modified' }],
    });
    const { 'images/marker-icon.png': _png, ...withoutImage } = LEAFLET;
    const fewer = await digestOf(await resourceZip({ ...withoutImage, 'README.txt': 'hi\n' }, tuesday));
    assert.deepEqual(diffDigests(base.digest, fewer.digest).differingFiles, [
      { path: 'staticresources/leafletjs/README.txt', change: 'only-in-target' },
      { path: 'staticresources/leafletjs/images/marker-icon.png', change: 'only-in-source' },
    ]);
    const renamed = await digestOf(await resourceZip({ ...withoutImage, 'images/marker.png': PNG }, monday));
    assert.equal(diffDigests(base.digest, renamed.digest).status, 'different', 'an entry moved is a change');
  });

  it('a resource that is not an archive, or a zip that cannot be read, is compared by its bytes', async () => {
    const zip = await resourceZip(LEAFLET, monday);
    // Declared as binary: a zip body is then just bytes, as Salesforce serves it.
    const octet = await digestOf(zip, 'application/octet-stream');
    assert.deepEqual([...octet.files.keys()].sort(), ['staticresources/leafletjs.resource', 'staticresources/leafletjs.resource-meta.xml']);
    const octetLater = await digestOf(await resourceZip(LEAFLET, tuesday), 'application/octet-stream');
    assert.notEqual(octet.digest.fingerprint, octetLater.digest.fingerprint);
    // Declared as a zip but not one: compared as bytes, not an error.
    const broken = await digestOf(Buffer.from('not a zip at all'));
    assert.deepEqual([...broken.files.keys()].sort(), ['staticresources/leafletjs.resource', 'staticresources/leafletjs.resource-meta.xml']);
    const truncated = await digestOf(zip.subarray(0, zip.length - 30));
    assert.ok(truncated.files.has('staticresources/leafletjs.resource'));
  });

  it('entry names that would leave the folder keep the archive as bytes', async () => {
    const evil = writeZip([['../../outside.txt', Buffer.from('x')], ['ok.txt', Buffer.from('y')]]);
    assert.equal(archiveEntries(evil), undefined);
    assert.equal(archiveEntries(writeZip([['/etc/passwd', Buffer.from('x')]])), undefined);
    assert.deepEqual([...(archiveEntries(writeZip([['a\\b.txt', Buffer.from('x')]])) ?? new Map()).keys()], ['a/b.txt']);
    const c = { type: 'StaticResource', fullName: 'r', files: new Map<string, Uint8Array>([['staticresources/r.resource', evil], ['staticresources/r.resource-meta.xml', Buffer.from(meta())]]) };
    assert.equal(withArchiveEntries(c, 'staticresources/r.resource', 'staticresources/r.resource-meta.xml'), c);
  });

  it('reads the content type as Salesforce writes it', () => {
    assert.equal(contentTypeOf(meta('application/x-zip-compressed')), 'application/x-zip-compressed');
    assert.equal(contentTypeOf('<StaticResource><contentType>\n  Application/ZIP </contentType></StaticResource>'), 'application/zip');
    assert.equal(contentTypeOf('<StaticResource/>'), undefined);
  });
});

import { strict as assert } from 'node:assert';
import JSZip from 'jszip';
import { readZip, writeZip, ZipFormatError } from '../../../src/salesforce/compare/zip-codec';

describe('emulator zip codec', () => {
  const entries: Array<[string, Buffer]> = [
    ['unpackaged/classes/Ünïcode.cls', Buffer.from('public class Ünïcode {}\n'.repeat(50))],
    ['unpackaged/staticresources/tiny.resource', Buffer.from('x')],
    ['unpackaged/empty.txt', Buffer.alloc(0)],
  ];

  it('writes zips that JSZip reads back byte for byte', async () => {
    const z = await JSZip.loadAsync(writeZip(entries));
    for (const [name, data] of entries) assert.deepEqual(await z.file(name)!.async('nodebuffer'), data, name);
  });

  it('reads zips JSZip writes, stored or deflated, skipping directory entries', async () => {
    for (const compression of ['STORE', 'DEFLATE'] as const) {
      const z = new JSZip();
      for (const [name, data] of entries) z.file(name, data);
      z.folder('unpackaged/lwc');
      const files = readZip(await z.generateAsync({ type: 'nodebuffer', compression }), 1e6);
      assert.deepEqual([...files.keys()].sort(), entries.map(([n]) => n).sort());
      for (const [name, data] of entries) assert.deepEqual(files.get(name), data);
    }
  });

  it('refuses what is not a zip, corrupt data, and archives that unpack too large', () => {
    assert.throws(() => readZip(Buffer.from('not a zip at all'), 1e6), ZipFormatError);
    const good = writeZip(entries);
    const corrupt = Buffer.from(good);
    corrupt[30 + Buffer.byteLength(entries[0][0]) + 2] ^= 0xff; // inside the first entry's data
    assert.throws(() => readZip(corrupt, 1e6), /Corrupt|checksum/);
    assert.throws(() => readZip(writeZip([['big', Buffer.alloc(2000, 1)]]), 1000), /maximum unpacked size/);
  });
});

/**
 * A small, fast zip reader/writer over node:zlib (stored and deflated entries, no zip64):
 * what metadata zips need. JSZip took seconds for 10,000-file packages; this takes a fraction.
 */
import * as zlib from 'node:zlib';

export class ZipFormatError extends Error {}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Buffer): number {
  const native = (zlib as unknown as { crc32?: (b: Buffer) => number }).crc32;
  if (native) return native(buf) >>> 0;
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// 2025-01-01 00:00 in DOS date/time; metadata zips carry no meaningful times.
const DOS_TIME = 0;
const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1;

/** One entry's local header + data and its central directory record, the entry starting at `offset`. */
function entryRecords(name: string, data: Buffer, offset: number): { local: Buffer[]; central: Buffer[]; size: number } {
  const nameBuf = Buffer.from(name, 'utf8');
  // Output chunk sized to the entry (a deflated file is at most slightly larger than it), not
  // zlib's default 16 KB per file.
  const deflated = zlib.deflateRawSync(data, { level: 1, chunkSize: Math.max(64, data.length + 64) });
  const useDeflate = deflated.length < data.length;
  const body = useDeflate ? deflated : data;
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6);
  local.writeUInt16LE(useDeflate ? 8 : 0, 8);
  local.writeUInt16LE(DOS_TIME, 10);
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  local.writeUInt16LE(0, 28);
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0);
  cd.writeUInt16LE(20, 4);
  cd.writeUInt16LE(20, 6);
  cd.writeUInt16LE(0x0800, 8);
  cd.writeUInt16LE(useDeflate ? 8 : 0, 10);
  cd.writeUInt16LE(DOS_TIME, 12);
  cd.writeUInt16LE(DOS_DATE, 14);
  cd.writeUInt32LE(crc, 16);
  cd.writeUInt32LE(body.length, 20);
  cd.writeUInt32LE(data.length, 24);
  cd.writeUInt16LE(nameBuf.length, 28);
  cd.writeUInt32LE(offset, 42);
  return { local: [local, nameBuf, body], central: [cd, nameBuf], size: 30 + nameBuf.length + body.length };
}

function endRecord(count: number, cdSize: number, cdOffset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdOffset, 16);
  return end;
}

/** Writes a zip (deflated entries, UTF-8 names). */
export function writeZip(entries: Array<[string, Buffer]>): Buffer {
  if (entries.length > 0xffff) throw new ZipFormatError('Too many entries for a zip without zip64');
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const r = entryRecords(name, data, offset);
    locals.push(...r.local);
    central.push(...r.central);
    offset += r.size;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([...locals, ...central, endRecord(entries.length, cdSize, offset)]);
}

/** The names of a zip's entries (from its central directory, nothing inflated). */
export function zipEntryNames(buf: Buffer): string[] {
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError('Corrupt central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    names.push(buf.toString(buf.readUInt16LE(p + 8) & 0x0800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return names;
}

/**
 * `buf` with `entries` added at its end, its own entries copied as they are (not inflated and
 * deflated again: adding one file to a 10,000-file zip costs that file, not the archive). The
 * caller makes sure the names are new. A zip whose entries do not sit before its central
 * directory, or that is zip64, is refused (write it again with writeZip).
 */
export function appendToZip(buf: Buffer, entries: Array<[string, Buffer]>): Buffer {
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipFormatError('zip64 archives are not supported');
  if (cdOffset + cdSize > eocd || buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) throw new ZipFormatError('Not a single-disk zip with its central directory before its end');
  if (count + entries.length > 0xffff) throw new ZipFormatError('Too many entries for a zip without zip64');
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = cdOffset;
  for (const [name, data] of entries) {
    const r = entryRecords(name, data, offset);
    locals.push(...r.local);
    central.push(...r.central);
    offset += r.size;
  }
  const added = central.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([buf.subarray(0, cdOffset), ...locals, buf.subarray(cdOffset, cdOffset + cdSize), ...central, endRecord(count + entries.length, cdSize + added, offset)]);
}

/** Reads every file entry of a zip; refuses corrupt data and archives that unpack past `maxUnpacked`. */
export function readZip(buf: Buffer, maxUnpacked: number): Map<string, Buffer> {
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError('Corrupt central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x0800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (compSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw new ZipFormatError('zip64 archives are not supported');
    if (flags & 0x0001) throw new ZipFormatError(`Encrypted entry: ${name}`);
    total += size;
    if (total > maxUnpacked) throw new ZipFormatError('The zip file exceeds the maximum unpacked size');
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== 0x04034b50) throw new ZipFormatError(`Corrupt entry: ${name}`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    if (start + compSize > buf.length) throw new ZipFormatError(`Truncated entry: ${name}`);
    const raw = buf.subarray(start, start + compSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        // An output chunk of the entry's size: zlib's default 16 KB chunk per small file was
        // most of the reading time (allocation and garbage) on zips of thousands of files.
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(size, 1), chunkSize: Math.max(64, size + 64) });
      } catch (e) {
        throw new ZipFormatError(`Corrupt entry ${name}: ${(e as Error).message}`);
      }
    } else throw new ZipFormatError(`Unsupported compression method ${method} for ${name}`);
    if (data.length !== size || crc32(data) !== crc) throw new ZipFormatError(`Corrupt entry (checksum): ${name}`);
    out.set(name, data);
  }
  return out;
}

function findEndOfCentralDirectory(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new ZipFormatError('End of central directory not found: not a zip file');
}

/**
 * An archive static resource (content type application/zip, application/x-zip-compressed or
 * application/jar; a folder in source, `staticresources/leafletjs/…`) is compared by its entries,
 * not by the bytes of its zip. SDR zips such a folder at every deploy and stamps each entry with
 * that moment, so the same files deployed to two orgs a few seconds apart make different zips.
 *
 * The component's `staticresources/<name>.resource` is replaced by one file per entry,
 * `staticresources/<name>/<entry path>` (where the entry sits in the source folder): each is
 * then compared as any file is (text normalized, images by their bytes), entry times and
 * compression play no part, and a diff opens entry by entry, as for a bundle. A zip this reader
 * cannot open (corrupt, ZIP64, encrypted), or one whose entry names would leave the folder, is
 * compared by its bytes as before.
 */
import type { RetrievedComponent } from '../../core/compare/types';
import { readZip, ZipFormatError } from './zip-codec';

/** As SDR's StaticResourceMetadataTransformer: the content types it keeps as a folder in source. */
export const ARCHIVE_CONTENT_TYPES: ReadonlySet<string> = new Set(['application/zip', 'application/x-zip-compressed', 'application/jar']);

/** A static resource is at most 5 MB zipped; this only guards against a runaway archive. */
const MAX_UNPACKED = 512 * 1024 ** 2;

/** The `<contentType>` of a StaticResource's metadata XML, trimmed and lower-cased. */
export function contentTypeOf(metaXml: string | Uint8Array): string | undefined {
  const text = typeof metaXml === 'string' ? metaXml : Buffer.from(metaXml).toString('utf8');
  const m = /<contentType>\s*([^<]*?)\s*<\/contentType>/.exec(text);
  return m ? m[1].toLowerCase() : undefined;
}

/** An entry name as a path inside the folder, or undefined when it would leave it. */
function entryPath(name: string): string | undefined {
  const parts = name.replace(/\\/g, '/').split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) return undefined;
  return parts.join('/');
}

/**
 * The entries of a zip by their path inside it, or undefined when the zip cannot be read here
 * or an entry's name would leave the folder (`../x`, `/x`).
 */
export function archiveEntries(zip: Uint8Array): Map<string, Buffer> | undefined {
  let entries: Map<string, Buffer>;
  try {
    entries = readZip(Buffer.isBuffer(zip) ? zip : Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength), MAX_UNPACKED);
  } catch (e) {
    if (e instanceof ZipFormatError) return undefined;
    throw e;
  }
  const out = new Map<string, Buffer>();
  for (const [name, data] of entries) {
    const p = entryPath(name);
    if (p === undefined || out.has(p)) return undefined;
    out.set(p, data);
  }
  return out;
}

/**
 * The static resource with an archive's `.resource` file replaced by its entries
 * (`staticresources/<name>/<entry>`); any other component, or an archive that cannot be read, as it came.
 * `contentPath` and `xmlPath` are the keys of the `.resource` file and its `-meta.xml` in `files`.
 */
export function withArchiveEntries(c: RetrievedComponent, contentPath: string, xmlPath: string): RetrievedComponent {
  if (c.type !== 'StaticResource') return c;
  const body = c.files.get(contentPath);
  const meta = c.files.get(xmlPath);
  if (body === undefined || meta === undefined || typeof body === 'string') return c;
  const type = contentTypeOf(meta);
  if (!type || !ARCHIVE_CONTENT_TYPES.has(type)) return c;
  const entries = archiveEntries(body);
  if (!entries) return c;
  const folder = contentPath.replace(/\.[^./]*$/, '');
  const files = new Map<string, string | Uint8Array>();
  for (const [p, data] of c.files) if (p !== contentPath) files.set(p, data);
  for (const [p, data] of entries) files.set(`${folder}/${p}`, data);
  return { ...c, files };
}

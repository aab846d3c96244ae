/**
 * Reads a retrieve zip (zip-codec.ts) into an SDR VirtualTreeContainer: one pass over the
 * central directory, each directory listed once (JSZip's ZipTreeContainer scans every entry for
 * each directory it lists, and is several times slower on 10,000-file retrieves).
 * Returns undefined for zips this reader does not handle (ZIP64, encryption, other methods), so
 * the caller can fall back to SDR's ZipTreeContainer.
 */
import * as path from 'node:path';
import { VirtualTreeContainer, type VirtualDirectory, type VirtualFile } from '@salesforce/source-deploy-retrieve';
import { readZip, ZipFormatError } from './zip-codec';

/** Retrieve zips come from the user's own org; this only guards against a runaway archive. */
const MAX_UNPACKED = 4 * 1024 ** 3;

/** Entries of the zip by path (directories omitted), or undefined when not readable here. */
export function unzipEntries(zip: Buffer): Map<string, Buffer> | undefined {
  try {
    return readZip(zip, MAX_UNPACKED);
  } catch (e) {
    if (e instanceof ZipFormatError) return undefined;
    throw e;
  }
}

type FileKind = 'metadataXml' | 'content';

/**
 * SDR's VirtualTreeContainer, with `find` answered from an index per directory. The resolver
 * calls `find` once per component, and the base class scans the whole directory each time (with
 * a regular expression per entry): quadratic in the size of a folder such as classes/.
 * Same answer as the base class: the first entry, in directory order, whose name before the
 * first dot is `name` and which is (or is not) a `-meta.xml` file.
 */
class IndexedTreeContainer extends VirtualTreeContainer {
  private readonly index = new Map<string, Map<string, string>>();

  override find(fileType: FileKind, name: string, directory: string): string | undefined {
    let byName = this.index.get(directory);
    if (!byName) {
      byName = new Map();
      for (const entry of this.readDirectory(directory)) {
        const key = `${isMetaXml(entry) ? 'metadataXml' : 'content'}\u0000${entry.split('.')[0]}`;
        if (!byName.has(key)) byName.set(key, entry);
      }
      this.index.set(directory, byName);
    }
    const entry = byName.get(`${fileType}\u0000${name}`);
    return entry === undefined ? undefined : path.join(directory, entry);
  }
}

/** As SDR's parseMetadataXml decides it: `<name>.<suffix>-meta.xml`. */
function isMetaXml(entry: string): boolean {
  return /(.+)\.(.+)-meta\.xml/.test(entry);
}

/** A tree SDR's resolver can walk, holding the zip's files under their zip paths. */
export function treeOfEntries(entries: Map<string, Buffer>): VirtualTreeContainer {
  const dirs = new Map<string, { subdirs: Set<string>; files: VirtualFile[] }>();
  const dir = (p: string) => {
    let d = dirs.get(p);
    if (!d) {
      dirs.set(p, (d = { subdirs: new Set(), files: [] }));
      const slash = p.lastIndexOf('/');
      if (p !== '.') dir(slash < 0 ? '.' : p.slice(0, slash)).subdirs.add(slash < 0 ? p : p.slice(slash + 1));
    }
    return d;
  };
  dir('.');
  for (const [name, data] of entries) {
    const slash = name.lastIndexOf('/');
    dir(slash < 0 ? '.' : name.slice(0, slash)).files.push({ name: name.slice(slash + 1), data });
  }
  const virtual: VirtualDirectory[] = [...dirs].map(([dirPath, d]) => ({ dirPath, children: [...d.subdirs, ...d.files] }));
  return new IndexedTreeContainer(virtual);
}

/**
 * Reads a retrieve zip (zip-codec.ts) into an SDR VirtualTreeContainer: one pass over the
 * central directory, each directory listed once (JSZip's ZipTreeContainer scans every entry for
 * each directory it lists, and is several times slower on 10,000-file retrieves).
 * Returns undefined for zips this reader does not handle (ZIP64, encryption, other methods), so
 * the caller can fall back to SDR's ZipTreeContainer.
 */
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
  return new VirtualTreeContainer(virtual);
}

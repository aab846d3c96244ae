/**
 * What a package holds, read once for the deploy workflow: its components and its text files (for
 * the Problems panel's paths, the dependency scan, the overwrite check). A package is source-format
 * files or folders, or a metadata-format zip (read through a throw-away folder).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ComponentRef } from '../../core/metadata-types';
import { readZip, ZipFormatError } from '../compare/zip-codec';
import { SalesforceError } from '../errors';
import { componentsAt } from './local-components';
import { destructiveMembers } from './package-destructive';

export interface PackageFileText {
  ref: ComponentRef;
  /** Absolute path of a source file; for a zip, the path inside the zip. */
  path: string;
  text: string;
}

export interface PackageContents {
  components: ComponentRef[];
  /** Every file of the package (text files up to 2 MB; binary content is left out). */
  files: PackageFileText[];
  /** Components a zip's destructiveChanges*.xml deletes. */
  destructive?: ComponentRef[];
}

const MAX_TEXT = 2 * 1024 * 1024;
const MAX_UNPACKED = 600 * 1024 * 1024;

function textOf(file: string): string | undefined {
  const st = fs.statSync(file);
  if (st.size > MAX_TEXT) return undefined;
  const buf = fs.readFileSync(file);
  return buf.subarray(0, 8000).includes(0) ? undefined : buf.toString('utf8');
}

function fromPaths(paths: string[], display: (abs: string) => string): PackageContents {
  const components = componentsAt(paths);
  const files: PackageFileText[] = [];
  for (const c of components) {
    for (const f of c.files) {
      const text = textOf(f);
      if (text !== undefined) files.push({ ref: { type: c.type, fullName: c.fullName }, path: display(f), text });
    }
  }
  return { components: components.map((c) => ({ type: c.type, fullName: c.fullName })), files };
}

/** The components and files of source paths, or of a metadata-format zip. */
export function readPackage(pkg: { sourcePaths?: string[]; zip?: Uint8Array }): PackageContents {
  if (!pkg.zip) return fromPaths(pkg.sourcePaths ?? [], (f) => f);
  let entries: Map<string, Buffer>;
  try {
    entries = readZip(Buffer.from(pkg.zip), MAX_UNPACKED);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new SalesforceError('invalid-request', `The package is not a readable zip (${e.message}); retrieve the package again.`);
    throw e;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-package-'));
  try {
    for (const [name, data] of entries) {
      if (name.endsWith('/')) continue;
      const target = path.resolve(dir, name);
      if (!target.startsWith(dir + path.sep)) throw new SalesforceError('invalid-request', `The package zip names a file outside itself (${name}); it was not read.`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, data);
    }
    const destructive = [...entries]
      .filter(([name]) => /(^|\/)destructiveChanges(Pre|Post)?\.xml$/.test(name))
      .flatMap(([, data]) => destructiveMembers(data.toString('utf8')));
    const contents = fromPaths([dir], (f) => path.relative(dir, f).split(path.sep).join('/'));
    return destructive.length ? { ...contents, destructive } : contents;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

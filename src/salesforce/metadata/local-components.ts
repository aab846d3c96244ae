/**
 * Local source files and the org's copy of them, for "Diff with environment…": which components a
 * project file or folder holds (SDR's resolver on SOURCE format), and a retrieve of those
 * components into a throw-away project folder so each local file can be set against the org's.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComponentSet, type SourceComponent } from '@salesforce/source-deploy-retrieve';
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { retrieve, type RetrieveOptions } from './retrieve';

export interface LocalComponent extends ComponentRef {
  /** Absolute paths of the component's files under the given paths (metadata XML and content). */
  files: string[];
}

function filesOf(c: SourceComponent): string[] {
  const out: string[] = [];
  if (c.xml) out.push(c.xml);
  for (const f of c.walkContent()) out.push(f);
  return out;
}

/**
 * The components whose source files are at `paths` (files or folders). A path that holds no
 * metadata SDR knows gives nothing; the caller says so to the user.
 */
export function componentsAt(paths: string[]): LocalComponent[] {
  const existing = paths.map((p) => path.resolve(p));
  for (const p of existing) {
    if (!fs.existsSync(p)) throw new SalesforceError('invalid-request', `${p} does not exist.`);
  }
  let set: ComponentSet;
  try {
    set = ComponentSet.fromSource(existing);
  } catch (e) {
    // A file SDR cannot place in any metadata type (README, sfdx-project.json…) holds no component.
    if ((e as Error).name === 'TypeInferenceError' || /infer a metadata type/i.test((e as Error).message)) return [];
    throw new SalesforceError('invalid-request', `${existing.join(', ')} could not be read as Salesforce metadata: ${(e as Error).message}`);
  }
  const inside = (f: string) => existing.some((p) => f === p || f.startsWith(p + path.sep));
  const seen = new Set<string>();
  const out: LocalComponent[] = [];
  for (const c of set.getSourceComponents()) {
    const type = c.type.name;
    const key = componentKey({ type, fullName: c.fullName });
    if (seen.has(key)) continue;
    seen.add(key);
    const files = filesOf(c).filter(inside);
    // A single file names its component; its sibling files (the -meta.xml) belong to the diff too.
    out.push({ type, fullName: c.fullName, files: files.length ? files : filesOf(c) });
  }
  return out;
}

export interface OrgCopy {
  /** The throw-away project folder; the caller removes it (`fs.rmSync(root, {recursive: true})`). */
  root: string;
  /** The package directory the org's files were written under (`<root>/force-app`). */
  packageDir: string;
  /** Files written, absolute paths. */
  files: Array<ComponentRef & { filePath: string }>;
  /** Requested components the org does not have, and other warnings. */
  warnings: string[];
}

/** Retrieves `components` in SOURCE format into a new temporary project folder. */
export async function retrieveCopy(handle: OrgConnection, components: ComponentRef[], opts: RetrieveOptions = {}): Promise<OrgCopy> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-orgcopy-'));
  const packageDir = path.join(root, 'force-app');
  fs.writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }));
  try {
    const result = await retrieve(handle, components, packageDir, opts);
    return { root, packageDir, files: result.files, warnings: result.warnings };
  } catch (e) {
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  }
}

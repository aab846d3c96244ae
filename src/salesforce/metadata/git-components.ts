/**
 * Which component a path of a commit belongs to, by SDR's resolver over the commit's file list (a
 * virtual tree: no checkout, no file read): a field file is its CustomField, a bundle member its
 * bundle, a static resource file its resource. Gives the git delta its two sides (src/core/git-delta).
 */
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { MetadataResolver, RegistryAccess, TreeContainer, type SourceComponent } from '@salesforce/source-deploy-retrieve';
import type { DeltaSides, ResolvedComponent } from '../../core/git-delta';

export interface GitTrees {
  /** The repository's folder (paths are resolved under it, nothing is read from it). */
  root: string;
  /** Every file of TO's tree, repository-relative with forward slashes (`git ls-tree -r --name-only`). */
  toPaths: readonly string[];
  /** Every file of FROM's tree. */
  fromPaths: readonly string[];
}

let registry: RegistryAccess | undefined;

/**
 * A commit's file list as SDR's TreeContainer (its documented extension point): directories and
 * their entries from the paths alone, built with string operations (VirtualTreeContainer joins and
 * normalizes each path, several times slower on a 10,000-file repository). Content is never read:
 * resolving needs names only.
 */
class FileListTree extends TreeContainer {
  /** Directory → its entries' names. */
  private readonly dirs = new Map<string, Set<string>>();
  private readonly files = new Set<string>();

  constructor(absPaths: readonly string[]) {
    super();
    const sep = path.sep;
    for (const f of absPaths) {
      this.files.add(f);
      let child = f;
      for (let i = f.lastIndexOf(sep); i > 0; i = child.lastIndexOf(sep)) {
        const dir = child.slice(0, i);
        const entries = this.dirs.get(dir);
        const name = child.slice(i + 1);
        if (entries) {
          const had = entries.size;
          entries.add(name);
          if (entries.size === had) break; // this directory and its ancestors are known already
        } else this.dirs.set(dir, new Set([name]));
        child = dir;
      }
    }
  }

  exists(p: string): boolean {
    return this.files.has(p) || this.dirs.has(p);
  }

  isDirectory(p: string): boolean {
    return this.dirs.has(p);
  }

  readDirectory(p: string): string[] {
    return [...(this.dirs.get(p) ?? [])];
  }

  readFileSync(p: string): Buffer {
    throw new Error(`${p}: the git delta resolves components from file names only.`);
  }

  readFile(p: string): Promise<Buffer> {
    return Promise.reject(new Error(`${p}: the git delta resolves components from file names only.`));
  }

  stream(p: string): Readable {
    throw new Error(`${p}: the git delta resolves components from file names only.`);
  }
}

class Side {
  private readonly resolver: MetadataResolver;
  private readonly cache = new Map<string, ResolvedComponent[]>();
  readonly files: ReadonlySet<string>;

  private readonly root: string;

  constructor(root: string, paths: readonly string[]) {
    this.root = path.resolve(root);
    registry ??= new RegistryAccess();
    this.files = new Set(paths);
    this.resolver = new MetadataResolver(registry, new FileListTree(paths.map((p) => this.abs(p))), false);
  }

  private abs(p: string): string {
    return this.root + path.sep + (path.sep === '/' ? p : p.split('/').join(path.sep));
  }

  private rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  private filesOf(c: SourceComponent): string[] {
    const out: string[] = [];
    if (c.xml) out.push(this.rel(c.xml));
    // A decomposed parent (CustomObject, Bot…) is its own file: its children's files are theirs.
    if (c.type.strategies?.adapter === 'decomposed') return out;
    for (const f of c.walkContent()) out.push(this.rel(f));
    return out;
  }

  resolve(p: string): ResolvedComponent[] {
    const hit = this.cache.get(p);
    if (hit) return hit;
    let found: ResolvedComponent[] = [];
    if (this.files.has(p)) {
      try {
        found = this.resolver.getComponentsFromPath(this.abs(p)).map((c) => ({ type: c.type.name, fullName: c.fullName, files: this.filesOf(c) }));
      } catch {
        // A file SDR cannot place in any metadata type (README, sfdx-project.json, scripts…) holds no component.
        found = [];
      }
    }
    this.cache.set(p, found);
    return found;
  }
}

/** The delta's two sides over the commits' file lists. */
export function gitDeltaSides(trees: GitTrees): DeltaSides {
  const to = new Side(trees.root, trees.toPaths);
  const from = new Side(trees.root, trees.fromPaths);
  return {
    atTo: (p) => to.resolve(p),
    atFrom: (p) => from.resolve(p),
    existsAtTo: (p) => to.files.has(p),
  };
}

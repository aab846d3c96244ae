/**
 * Which component a path of a commit belongs to, by SDR's resolver over the commit's file list (a
 * virtual tree: no checkout, no file read): a field file is its CustomField, a bundle member its
 * bundle, a static resource file its resource. Gives the git delta its two sides (src/core/git-delta).
 */
import * as path from 'node:path';
import { MetadataResolver, RegistryAccess, VirtualTreeContainer, type SourceComponent } from '@salesforce/source-deploy-retrieve';
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

class Side {
  private readonly resolver: MetadataResolver;
  private readonly cache = new Map<string, ResolvedComponent[]>();
  readonly files: ReadonlySet<string>;

  constructor(
    private readonly root: string,
    paths: readonly string[],
  ) {
    registry ??= new RegistryAccess();
    this.files = new Set(paths);
    this.resolver = new MetadataResolver(registry, VirtualTreeContainer.fromFilePaths(paths.map((p) => this.abs(p))), false);
  }

  private abs(p: string): string {
    return path.join(this.root, ...p.split('/'));
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

/**
 * Check Dependencies: what the package's components reference (a static scan of its files, and the
 * source org's MetadataComponentDependency where it answers: beta, read per component) that is
 * neither in the package nor in the target.
 */
import { missingDependencies, mergeReferences, scanPackage, type MissingDependency, type Reference } from '../../core/deployments';
import type { ComponentRef } from '../../core/metadata-types';
import type { RunOptions, WorkflowDeps } from '../types';

export interface DependencyCheckRequest {
  targetEnv: string;
  /** The environment the package comes from: its Apex classes name references, and its MetadataComponentDependency is asked. */
  sourceEnv?: string;
  sourcePaths?: string[];
  zip?: Uint8Array;
}

export interface DependencyReport {
  /** Every reference found, with who says so (static scan, org dependencies, or both). */
  references: Reference[];
  /** References the target cannot satisfy: neither in the package nor in the target. */
  missing: MissingDependency[];
  /** Whether the source org's MetadataComponentDependency answered. */
  orgDependencies: boolean;
  /** How the references were found, in words: "static scan and Dev's dependency data", "static scan only (…)". */
  basis: string;
}

const key = (c: ComponentRef): string => `${c.type}:${c.fullName}`.toLowerCase();

export async function checkDependencies(deps: WorkflowDeps, req: DependencyCheckRequest, opts: RunOptions = {}): Promise<DependencyReport> {
  const sf = await deps.salesforce();
  const report = opts.onProgress ?? (() => undefined);
  report({ message: 'Scanning the package…', percent: 0 });
  const pkg = sf.readPackage({ sourcePaths: req.sourcePaths, zip: req.zip });
  const target = await deps.sessions.get(req.targetEnv);
  const source = req.sourceEnv ? await deps.sessions.get(req.sourceEnv) : undefined;

  const apexClasses = source ? (await sf.listComponents(source.handle, ['ApexClass'], { signal: opts.signal })).map((c) => c.fullName) : [];
  const scanned = scanPackage(pkg.files, { apexClasses });

  let rows: Awaited<ReturnType<typeof sf.componentDependencies>>;
  let basis: string;
  if (!source) {
    rows = undefined;
    basis = 'static scan only (no source environment to ask for its dependency data)';
  } else {
    try {
      rows = await sf.componentDependencies(source.handle, pkg.components, {
        signal: opts.signal,
        onComponent: (done, total) => report({ message: `Reading ${req.sourceEnv}'s dependency data: ${done}/${total} components…`, percent: 10 + Math.floor((60 * done) / total) }),
      });
      basis = rows ? `static scan and ${req.sourceEnv}'s dependency data` : `static scan only (${req.sourceEnv} does not answer MetadataComponentDependency)`;
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      deps.log.warn(`${req.sourceEnv} did not answer MetadataComponentDependency: ${(e as Error).message}`);
      rows = undefined;
      basis = `static scan only (${req.sourceEnv}'s dependency data could not be read: ${(e as Error).message})`;
    }
  }
  const references = mergeReferences(scanned, rows ?? []);

  report({ message: `Checking what ${req.targetEnv} has…`, percent: 75 });
  const inPackage = new Set(pkg.components.map(key));
  const wanted = references.filter((r) => !inPackage.has(key(r.to)));
  const types = [...new Set(wanted.map((r) => r.to.type))].sort();
  const present = new Set<string>();
  if (types.length) {
    for (const c of await sf.listComponents(target.handle, types, { signal: opts.signal })) present.add(key(c));
  }
  const missing = missingDependencies(references, pkg.components, (r) => present.has(key(r)));
  deps.log.info(`Dependencies of the package for ${req.targetEnv} (${basis}): ${references.length} references, ${missing.length} missing.`);
  report({ message: `${missing.length} missing in ${req.targetEnv}`, percent: 100 });
  return { references, missing, orgDependencies: rows !== undefined, basis };
}

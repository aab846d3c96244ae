/**
 * What the emulated org knows about metadata types, taken from SDR's own registry (every type
 * SDR knows): directories, suffixes, folders, parent/child relations, and the mapping from a
 * path in a metadata-format zip to the component it belongs to.
 */
import { RegistryAccess, type MetadataType } from '@salesforce/source-deploy-retrieve';

const registry = new RegistryAccess();
const allTypes: MetadataType[] = Object.values(registry.getRegistry().types);

const byName = new Map<string, MetadataType>();
const byId = new Map<string, MetadataType>();
const byDir = new Map<string, MetadataType[]>();
/** Child type name → how it sits inside its parent's XML. */
const childInfo = new Map<string, ChildInfo>();

export interface ChildInfo {
  parentType: string;
  /** Element name of each child inside the parent root, e.g. `fields`, `labels`, `rules`. */
  element: string;
  /** Element holding the child's own name, usually `fullName`. */
  idElement: string;
}

for (const t of allTypes) {
  byName.set(t.name, t);
  byId.set(t.id, t);
  const list = byDir.get(t.directoryName) ?? [];
  list.push(t);
  byDir.set(t.directoryName, list);
  for (const child of Object.values(t.children?.types ?? {})) {
    byName.set(child.name, child);
    byId.set(child.id, child);
    childInfo.set(child.name, {
      parentType: t.name,
      element: child.xmlElementName ?? child.directoryName,
      idElement: child.uniqueIdElement ?? 'fullName',
    });
  }
}

export function metadataType(name: string): MetadataType | undefined {
  return byName.get(name);
}

export function childOf(typeName: string): ChildInfo | undefined {
  return childInfo.get(typeName);
}

/** Child types of a decomposed parent (e.g. CustomObject → CustomField, ListView, …). */
export function childTypesOf(parentType: string): Array<{ name: string } & ChildInfo> {
  const t = byName.get(parentType);
  return Object.values(t?.children?.types ?? {}).map((c) => ({ name: c.name, ...(childInfo.get(c.name) as ChildInfo) }));
}

/** The folder type of a foldered type (Report → ReportFolder). */
export function folderTypeOf(typeName: string): string | undefined {
  const t = byName.get(typeName);
  return t?.inFolder && t.folderType ? byId.get(t.folderType)?.name : undefined;
}

/** The content type of a folder type (ReportFolder → Report). */
export function contentTypeOfFolder(typeName: string): string | undefined {
  const t = byName.get(typeName);
  return t?.folderContentType ? byId.get(t.folderContentType)?.name : undefined;
}

export function isBundle(t: MetadataType): boolean {
  return t.strategies?.adapter === 'bundle' || t.name === 'ExperienceBundle';
}

/** Whether this type's component carries a separate `-meta.xml` next to its content file(s). */
export function hasMetaFile(t: MetadataType): boolean {
  const a = t.strategies?.adapter;
  return a === 'matchingContentFile' || a === 'mixedContent';
}

export interface ZipMember {
  type: string;
  fullName: string;
}

/**
 * Which component a path of a metadata-format zip belongs to (`classes/Foo.cls` and
 * `classes/Foo.cls-meta.xml` → ApexClass Foo; `lwc/cmp/cmp.js` → LightningComponentBundle cmp;
 * `reports/Sales/Q1.report` → Report Sales/Q1; `reports/Sales-meta.xml` → ReportFolder Sales).
 * Undefined when no registry type claims the path.
 */
export function memberForPath(path: string): ZipMember | undefined {
  const parts = path.split('/');
  if (parts.length < 2 || parts.some((p) => p === '' || p === '..')) return undefined;
  const [dir, ...rest] = parts;
  const candidates = byDir.get(dir);
  if (!candidates) return undefined;
  const bundle = candidates.find(isBundle);
  if (bundle) return rest.length >= 2 ? { type: bundle.name, fullName: rest[0] } : undefined;
  const folderContent = candidates.find((t) => t.inFolder);
  if (folderContent) {
    if (rest.length === 1) {
      const m = /^(.+)-meta\.xml$/.exec(rest[0]);
      const folderType = folderTypeOf(folderContent.name);
      return m && folderType ? { type: folderType, fullName: m[1] } : undefined;
    }
    const file = rest[rest.length - 1].replace(/-meta\.xml$/, '');
    const folder = rest.slice(0, -1).join('/');
    const suffix = folderContent.suffix ? `.${folderContent.suffix}` : undefined;
    const name = suffix && file.endsWith(suffix) ? file.slice(0, -suffix.length) : file;
    return { type: folderContent.name, fullName: `${folder}/${name}` };
  }
  if (rest.length !== 1) return undefined;
  const file = rest[0].replace(/-meta\.xml$/, '');
  const bySuffix = candidates.find((t) => t.suffix && file.endsWith(`.${t.suffix}`));
  const t = bySuffix ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!t) return undefined;
  const fullName = t.suffix && file.endsWith(`.${t.suffix}`) ? file.slice(0, -(t.suffix.length + 1)) : file;
  return fullName ? { type: t.name, fullName } : undefined;
}

/** The main file name of a component in a metadata zip (what deploy messages report). */
export function mainFileName(type: string, fullName: string, files: string[]): string {
  const t = byName.get(type);
  const child = childOf(type);
  if (child) {
    const parent = byName.get(child.parentType);
    const parentName = child.parentType === 'CustomLabels' ? 'CustomLabels' : fullName.split('.')[0];
    return `${parent?.directoryName}/${parentName}.${parent?.suffix}`;
  }
  if (t && isBundle(t)) return `${t.directoryName}/${fullName}`;
  const nonMeta = files.filter((f) => !f.endsWith('-meta.xml')).sort();
  return nonMeta[0] ?? files.sort()[0] ?? `${t?.directoryName ?? type}/${fullName}${t?.suffix ? '.' + t.suffix : ''}`;
}

/** Default path of a component's main file, for types we synthesize (folders, parents). */
export function defaultPath(type: string, fullName: string): string {
  const t = byName.get(type);
  if (!t) return `${type}/${fullName}`;
  if (contentTypeOfFolder(type)) return `${t.directoryName}/${fullName}-meta.xml`;
  return `${t.directoryName}/${fullName}${t.suffix ? '.' + t.suffix : ''}`;
}

/** `describeMetadata`'s `metadataObjects`: every top-level registry type. */
export function describeObjects(): Array<Record<string, unknown>> {
  return allTypes
    .filter((t) => !t.folderContentType)
    .map((t) => ({
      childXmlNames: Object.values(t.children?.types ?? {}).map((c) => c.name),
      directoryName: t.directoryName,
      inFolder: t.inFolder ? 'true' : 'false',
      metaFile: hasMetaFile(t) ? 'true' : 'false',
      ...(t.suffix ? { suffix: t.suffix } : {}),
      xmlName: t.name,
    }))
    .sort((a, b) => String(a.xmlName).localeCompare(String(b.xmlName)));
}

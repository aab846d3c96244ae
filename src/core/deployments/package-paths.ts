/**
 * Finding the package file a deploy result talks about. The org names files in metadata format
 * (`classes/Foo.cls`, `objects/X__c.object` for a field of X__c), sometimes under a package
 * folder; the package keeps source format (`.../classes/Foo.cls`,
 * `.../objects/X__c/fields/F__c.field-meta.xml`). Lookups go through an index of path suffixes,
 * so ten thousand failures over ten thousand files stay fast.
 */

/** What a deploy result names: a component, and the file the org reported when it did. */
export interface FileTarget {
  type: string;
  fullName: string;
  fileName?: string;
}

/** The package path for a deploy result's component or file, or undefined when the package has none. */
export type PathResolver = (target: FileTarget) => string | undefined;

/** Children of an object, by type: their folder and suffix in source format. */
const OBJECT_CHILDREN: Record<string, [string, string]> = {
  CustomField: ['fields', 'field'],
  ValidationRule: ['validationRules', 'validationRule'],
  RecordType: ['recordTypes', 'recordType'],
  ListView: ['listViews', 'listView'],
  FieldSet: ['fieldSets', 'fieldSet'],
  WebLink: ['webLinks', 'webLink'],
  CompactLayout: ['compactLayouts', 'compactLayout'],
  BusinessProcess: ['businessProcesses', 'businessProcess'],
  SharingReason: ['sharingReasons', 'sharingReason'],
  Index: ['indexes', 'index'],
};

/** Components kept as one `<folder>/<name>.<suffix>-meta.xml` file, by type. */
const SINGLE_FILE: Record<string, [string, string]> = {
  Flow: ['flows', 'flow'],
  Layout: ['layouts', 'layout'],
  PermissionSet: ['permissionsets', 'permissionset'],
  Profile: ['profiles', 'profile'],
  FlexiPage: ['flexipages', 'flexipage'],
  CustomTab: ['tabs', 'tab'],
  CustomMetadata: ['customMetadata', 'md'],
  StaticResource: ['staticresources', 'resource'],
  CustomApplication: ['applications', 'app'],
  QuickAction: ['quickActions', 'quickAction'],
  GlobalValueSet: ['globalValueSets', 'globalValueSet'],
};

/** Where a component's main file sits in source format, relative to the package directory. */
function sourceCandidates(t: FileTarget): string[] {
  const n = t.fullName;
  switch (t.type) {
    case 'ApexClass':
      return [`classes/${n}.cls`];
    case 'ApexTrigger':
      return [`triggers/${n}.trigger`];
    case 'ApexPage':
      return [`pages/${n}.page`];
    case 'ApexComponent':
      return [`components/${n}.component`];
    case 'LightningComponentBundle':
      return [`lwc/${n}/${n}.js`, `lwc/${n}/${n}.ts`, `lwc/${n}/${n}.html`, `lwc/${n}/${n}.js-meta.xml`];
    case 'AuraDefinitionBundle':
      return [`aura/${n}/${n}.cmp`, `aura/${n}/${n}.app`, `aura/${n}/${n}.evt`, `aura/${n}/${n}.intf`];
    case 'CustomObject':
      return [`objects/${n}/${n}.object-meta.xml`];
    case 'CustomLabel':
    case 'CustomLabels':
      return ['labels/CustomLabels.labels-meta.xml'];
    default: {
      const single = SINGLE_FILE[t.type];
      if (single) return [`${single[0]}/${n}.${single[1]}-meta.xml`];
      const child = OBJECT_CHILDREN[t.type];
      const dot = n.indexOf('.');
      if (child && dot > 0) return [`objects/${n.slice(0, dot)}/${child[0]}/${n.slice(dot + 1)}.${child[1]}-meta.xml`];
      return [];
    }
  }
}

/** The same file named as the org would, and its source-format spellings. */
function fileCandidates(fileName: string, t: FileTarget): string[] {
  const f = fileName.replace(/\\/g, '/').replace(/^\.\//, '');
  const out = [f, `${f}-meta.xml`];
  // A component in an `objects/X.object` file (mdapi): the child's own file, or the object's.
  const obj = /(?:^|\/)objects\/([^/]+)\.object$/.exec(f);
  if (obj) out.push(...sourceCandidates(t), `objects/${obj[1]}/${obj[1]}.object-meta.xml`);
  return out;
}

/** A resolver over the package's paths (source format, any prefix). */
export function packagePathResolver(paths: readonly string[]): PathResolver {
  const bySuffix = new Map<string, string>();
  for (const p of paths) {
    const parts = p.replace(/\\/g, '/').split('/');
    for (let i = parts.length - 1; i >= 0; i--) {
      const suffix = parts.slice(i).join('/').toLowerCase();
      if (!bySuffix.has(suffix)) bySuffix.set(suffix, p);
    }
  }
  const lookup = (candidate: string): string | undefined => {
    const parts = candidate.toLowerCase().split('/').filter(Boolean);
    // Try the whole name, then without leading folders (a package folder such as `unpackaged/`).
    for (let i = 0; i < parts.length; i++) {
      const hit = bySuffix.get(parts.slice(i).join('/'));
      if (hit && parts.length - i >= Math.min(2, parts.length)) return hit;
    }
    return undefined;
  };
  return (t) => {
    const candidates = [...(t.fileName ? fileCandidates(t.fileName, t) : []), ...sourceCandidates(t)];
    for (const c of candidates) {
      const hit = lookup(c);
      if (hit) return hit;
    }
    return undefined;
  };
}

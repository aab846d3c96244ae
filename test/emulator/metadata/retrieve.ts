/**
 * Building a retrieve: which stored components a request names (explicit members, `*`,
 * children like `Account.Foo__c`), merged back into their parents' files, zipped under
 * `unpackaged/` with a generated package.xml; missing members as messages.
 */
import type { OrgContext } from '../context';
import type { StoredComponent } from '../store';
import { writeManifest, type Manifest } from './package-xml';
import { childOf, childTypesOf, contentTypeOfFolder, defaultPath, folderTypeOf, mainFileName, metadataType } from './registry';
import { emptyParent, mergeParent } from './xml';
import { orgXml } from './xml-format';
import { writeRetrieveZip } from './zip-package';

export interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState: string;
  type: string;
}

export interface RetrieveOutput {
  zipFile: string;
  fileProperties: FileProperties[];
  messages: Array<{ fileName: string; problem: string }>;
}

export function fileProperties(org: OrgContext, c: StoredComponent, prefix = ''): FileProperties {
  return {
    createdById: c.createdById,
    createdByName: org.userById(c.createdById)?.name ?? '',
    createdDate: c.createdDate,
    fileName: prefix + mainFileName(c.type, c.fullName, Object.keys(c.files)),
    fullName: c.fullName,
    id: c.id,
    lastModifiedById: c.lastModifiedById,
    lastModifiedByName: org.userById(c.lastModifiedById)?.name ?? '',
    lastModifiedDate: c.lastModifiedDate,
    manageableState: 'unmanaged',
    type: c.type,
  };
}

/** Components a (type, member) request selects. `*` is not supported for foldered types, as in Salesforce. */
function select(org: OrgContext, type: string, member: string): StoredComponent[] {
  const store = org.store;
  if (member === '*') {
    if (metadataType(type)?.inFolder) return [];
    return store.listComponents(type);
  }
  // SDR asks for every folder of a foldered type as `*/`.
  if (member === '*/') {
    const folderType = folderTypeOf(type);
    return folderType ? store.listComponents(folderType) : [];
  }
  // SDR names folders `Sales/` under the content type.
  const folderName = member.endsWith('/') ? member.slice(0, -1) : member;
  const c = member.endsWith('/') ? undefined : store.getComponent(type, member);
  if (c) return [c];
  if (contentTypeOfFolder(type)) {
    const f = store.getComponent(type, folderName);
    return f ? [f] : [];
  }
  // A foldered type's member may name the folder itself (`Report` `Sales`).
  const folderType = folderTypeOf(type);
  const folder = folderType ? store.getComponent(folderType, folderName) : undefined;
  return folder ? [folder] : [];
}

export async function buildRetrieve(org: OrgContext, manifest: Manifest, apiVersion: string): Promise<RetrieveOutput> {
  const messages: RetrieveOutput['messages'] = [];
  const picked = new Map<string, StoredComponent>();
  for (const [type, members] of manifest.types) {
    if (!metadataType(type)) {
      messages.push({ fileName: 'unpackaged/package.xml', problem: `Unknown type name '${type}' specified in package.xml` });
      continue;
    }
    for (const member of members) {
      const found = select(org, type, member);
      if (found.length === 0 && member !== '*') {
        messages.push({ fileName: 'unpackaged/package.xml', problem: `Entity of type '${type}' named '${member}' cannot be found` });
      }
      for (const c of found) picked.set(`${c.type}\u0000${c.fullName}`, c);
    }
  }

  const files: Record<string, Buffer> = {};
  const props: FileProperties[] = [];
  // Parents to assemble: parent key → fragments to merge.
  const parents = new Map<string, { type: string; name: string; all: boolean; fragments: Map<string, { element: string; name: string; xml: string }> }>();
  const parentEntry = (type: string, name: string) => {
    const k = `${type}\u0000${name}`;
    let p = parents.get(k);
    if (!p) parents.set(k, (p = { type, name, all: false, fragments: new Map() }));
    return p;
  };
  for (const c of picked.values()) {
    props.push(fileProperties(org, c, 'unpackaged/'));
    const child = childOf(c.type);
    if (child) {
      const parentName = metadataType(child.parentType)?.ignoreParsedFullName ? child.parentType : c.fullName.split('.')[0];
      const localName = c.fullName.slice(c.fullName.indexOf('.') + 1);
      const xml = Buffer.from(c.files['fragment.xml'] ?? '', 'base64').toString('utf8');
      parentEntry(child.parentType, parentName).fragments.set(`${c.type}\u0000${c.fullName}`, { element: child.element, name: localName, xml });
    } else if (childTypesOf(c.type).length > 0) {
      parentEntry(c.type, c.fullName).all = true;
    } else {
      for (const [p, b64] of Object.entries(c.files)) files[p] = Buffer.from(b64, 'base64');
    }
  }
  // Children of each parent, indexed once per parent type (a wildcard over 10,000 components stays linear).
  const index = new Map<string, Map<string, Array<{ child: StoredComponent; info: ReturnType<typeof childTypesOf>[number] }>>>();
  const childrenOf = (parentType: string, parentName: string) => {
    let byParent = index.get(parentType);
    if (!byParent) {
      byParent = new Map();
      const ignoreName = metadataType(parentType)?.ignoreParsedFullName === true;
      for (const info of childTypesOf(parentType)) {
        for (const child of org.store.listComponents(info.name)) {
          const owner = ignoreName ? parentType : child.fullName.split('.')[0];
          if (!byParent.has(owner)) byParent.set(owner, []);
          byParent.get(owner)!.push({ child, info });
        }
      }
      index.set(parentType, byParent);
    }
    return byParent.get(parentName) ?? [];
  };
  for (const p of parents.values()) {
    const stored = org.store.getComponent(p.type, p.name);
    const path = stored ? Object.keys(stored.files)[0] : defaultPath(p.type, p.name);
    // Only the parent's own content when the parent itself was asked for; children alone come in an empty root.
    const base = stored && p.all ? Buffer.from(stored.files[path], 'base64').toString('utf8') : emptyParent(p.type);
    if (p.all) {
      const ignoreName = metadataType(p.type)?.ignoreParsedFullName === true;
      for (const { child, info } of childrenOf(p.type, ignoreName ? p.type : p.name)) {
        const xml = Buffer.from(child.files['fragment.xml'] ?? '', 'base64').toString('utf8');
        const name = ignoreName ? child.fullName : child.fullName.slice(p.name.length + 1);
        p.fragments.set(`${child.type}\u0000${child.fullName}`, { element: info.element, name, xml });
      }
    }
    files[path] = Buffer.from(mergeParent(base, [...p.fragments.values()]), 'utf8');
  }
  // The org writes metadata XML its own way, whatever layout and order it was deployed with.
  for (const [p, content] of Object.entries(files)) {
    if (!looksLikeXml(content)) continue;
    const rewritten = orgXml(content.toString('utf8'));
    if (rewritten !== undefined) files[p] = Buffer.from(rewritten, 'utf8');
  }
  const manifestMembers = [...picked.values()].map((c) => ({ type: contentTypeOfFolder(c.type) ?? c.type, fullName: c.fullName }));
  files['package.xml'] = Buffer.from(writeManifest(manifestMembers, manifest.version ?? apiVersion), 'utf8');
  const now = new Date().toISOString();
  props.push({
    createdById: '',
    createdByName: '',
    createdDate: now,
    fileName: 'unpackaged/package.xml',
    fullName: 'unpackaged/package.xml',
    id: '',
    lastModifiedById: '',
    lastModifiedByName: '',
    lastModifiedDate: now,
    manageableState: 'unmanaged',
    type: 'Package',
  });
  return { zipFile: writeRetrieveZip(files), fileProperties: props, messages };
}

/** A quick look before decoding: the first character after a BOM and blanks is `<`. */
function looksLikeXml(b: Buffer): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && i < 256 && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return b[i] === 0x3c;
}

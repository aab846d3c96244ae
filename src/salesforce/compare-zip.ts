/**
 * Turns a retrieve zip in METADATA format (what the Metadata API returns) into components with
 * their files, without writing anything to disk. SDR's resolver maps files to components.
 *
 * Child types (CustomField, ListView, CustomLabel…) are compared as their own components, the
 * way listMetadata lists them: a parent file (objects/Account.object) is split into the parent's
 * own XML without its child elements, plus one XML file per child. So a changed field shows as
 * that CustomField, not as its whole object, and each listed lastModifiedDate covers exactly
 * the content compared under it.
 */
import * as path from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { MetadataResolver, RegistryAccess, ZipTreeContainer, type SourceComponent, type TreeContainer } from '@salesforce/source-deploy-retrieve';
import { treeOfEntries, unzipEntries } from './compare-unzip';
import type { RetrievedComponent } from '../core/compare/types';

let registry: RegistryAccess | undefined;

/** Same settings as SDR's own XML reading and writing, so files keep their meaning. */
const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  cdataPropName: '__cdata',
  ignoreDeclaration: true,
  numberParseOptions: { leadingZeros: false, hex: false },
  commentPropName: '!--',
});
const builder = new XMLBuilder({
  format: true,
  indentBy: '    ',
  ignoreAttributes: false,
  suppressBooleanAttributes: false,
  cdataPropName: '__cdata',
  commentPropName: '!--',
});

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

function toXml(obj: unknown): Buffer {
  return Buffer.from(XML_DECL + String(builder.build(obj)), 'utf8');
}

/** Paths inside the zip → paths relative to the package root (no `unpackaged/`). */
function relative(root: string, p: string): string {
  return path.posix.relative(root, p.split(path.sep).join('/'));
}

async function filesOf(tree: TreeContainer, root: string, c: SourceComponent): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const add = async (p: string): Promise<void> => {
    if (tree.isDirectory(p)) for (const e of tree.readDirectory(p)) await add(path.join(p, e));
    else files.set(relative(root, p), await tree.readFile(p));
  };
  if (c.xml) await add(c.xml);
  if (c.content) await add(c.content);
  return files;
}

/** A parent with children: its own XML without child elements, and each child as its own file. */
async function split(tree: TreeContainer, root: string, c: SourceComponent): Promise<RetrievedComponent[]> {
  const xmlPath = c.xml!;
  const parsed = parser.parse((await tree.readFile(xmlPath)).toString('utf8')) as Record<string, Record<string, unknown> | string>;
  const body = parsed[c.type.name];
  const own: Record<string, unknown> = typeof body === 'object' && body !== null ? { ...body } : {};
  const ns = '@_xmlns' in own ? { '@_xmlns': own['@_xmlns'] } : {};
  const out: RetrievedComponent[] = [];
  const rel = relative(root, xmlPath);
  for (const childType of Object.values(c.type.children?.types ?? {})) {
    // As SDR names them: the element is the child type's xmlElementName, else its directory name.
    const xmlElementName = childType.xmlElementName ?? childType.directoryName;
    const uniqueIdElement = childType.uniqueIdElement ?? 'fullName';
    if (!xmlElementName || !(xmlElementName in own)) continue;
    const raw = own[xmlElementName];
    delete own[xmlElementName];
    for (const element of Array.isArray(raw) ? raw : [raw]) {
      const name = (element as Record<string, unknown> | undefined)?.[uniqueIdElement];
      if (typeof name !== 'string' || !name) continue;
      const fullName = c.type.ignoreParsedFullName ? name : `${c.fullName}.${name}`;
      const file = `${rel}/${xmlElementName}/${name}.xml`;
      out.push({ type: childType.name, fullName, files: new Map([[file, toXml({ [c.type.name]: { ...ns, [xmlElementName]: element } })]]) });
    }
  }
  out.push({ type: c.type.name, fullName: c.fullName, files: new Map([[`${rel}`, toXml({ [c.type.name]: own })]]) });
  return out;
}

/** Every component (and child component) in a metadata-format retrieve zip. */
export async function componentsFromZip(zip: Buffer): Promise<RetrievedComponent[]> {
  registry ??= new RegistryAccess();
  const entries = unzipEntries(zip);
  const tree: TreeContainer = entries ? treeOfEntries(entries) : await ZipTreeContainer.create(zip);
  const root = tree.exists('unpackaged') && tree.isDirectory('unpackaged') ? 'unpackaged' : '.';
  const resolver = new MetadataResolver(registry, tree, false);
  const out: RetrievedComponent[] = [];
  for (const c of resolver.getComponentsFromPath(root)) {
    if (c.type.children && c.xml && !c.content) {
      // A parent file that does not parse is compared whole, as text (its children then read
      // as "not returned" in the result rather than failing the whole chunk).
      const parts = await split(tree, root, c).catch(() => undefined);
      if (parts) {
        out.push(...parts);
        continue;
      }
    }
    out.push({ type: c.type.name, fullName: c.fullName, files: await filesOf(tree, root, c) });
  }
  return out;
}

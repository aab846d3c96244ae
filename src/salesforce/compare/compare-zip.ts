/**
 * Turns a retrieve zip in METADATA format (what the Metadata API returns) into components with
 * their files, without writing anything to disk. SDR's resolver maps files to components.
 *
 * Child types (CustomField, ListView, CustomLabel…) are compared as their own components, the
 * way listMetadata lists them: a parent file (objects/Account.object) is split into the parent's
 * own XML without its child elements, plus one XML file per child. So a changed field shows as
 * that CustomField, not as its whole object, and each listed lastModifiedDate covers exactly
 * the content compared under it.
 *
 * An archive static resource is compared by its entries, not its zip's bytes (archive-resource.ts).
 */
import * as path from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { MetadataResolver, RegistryAccess, ZipTreeContainer, type SourceComponent, type TreeContainer } from '@salesforce/source-deploy-retrieve';
import { withArchiveEntries } from './archive-resource';
import { treeOfEntries, unzipEntries } from './compare-unzip';
import type { RetrievedComponent } from '../../core/compare/types';
import { scanXml, type XmlElement, type XmlNode } from '../../core/compare/xml-scan';

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
  const posix = path.sep === '/' ? p : p.split(path.sep).join('/');
  // The usual case, without path.posix.relative's resolving of both paths (thousands of calls).
  if (root === 'unpackaged' && posix.startsWith('unpackaged/') && !posix.includes('/.')) return posix.slice('unpackaged/'.length);
  return path.posix.relative(root, posix);
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
async function split(tree: TreeContainer, root: string, c: SourceComponent, generalParser: boolean): Promise<RetrievedComponent[]> {
  const text = (await tree.readFile(c.xml!)).toString('utf8');
  const scanned = generalParser ? undefined : scanXml(text);
  return scanned && scanned.name === c.type.name ? splitScanned(scanned, root, c) : splitParsed(text, root, c);
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function writeNode(n: XmlNode, out: string[]): void {
  if (n.kind === 'text') {
    out.push(escapeText(n.text));
    return;
  }
  out.push(`<${n.name}`);
  for (const [k, v] of n.attrs) out.push(` ${k}="${escapeText(v).replace(/"/g, '&quot;')}"`);
  if (n.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const ch of n.children) writeNode(ch, out);
  out.push(`</${n.name}>`);
}

function toXmlText(el: XmlElement): string {
  const out = [XML_DECL];
  writeNode(el, out);
  return out.join('');
}

/** The text of a leaf element's only `name` child, else undefined. */
function leafText(el: XmlElement, name: string): string | undefined {
  const found = el.children.filter((n): n is XmlElement => n.kind === 'element' && n.name === name);
  if (found.length !== 1 || found[0].children.some((n) => n.kind === 'element')) return undefined;
  return found[0].children.map((n) => (n.kind === 'text' ? n.text : '')).join('');
}

/** split() on the tree of the quick reader (xml-scan.ts): no second parse, no XML builder. */
function splitScanned(parsed: XmlElement, root: string, c: SourceComponent): RetrievedComponent[] {
  const rel = relative(root, c.xml!);
  const xmlns = parsed.attrs.filter(([k]) => k === 'xmlns');
  const childTypes = new Map<string, { name: string; uniqueIdElement: string }>();
  for (const childType of Object.values(c.type.children?.types ?? {})) {
    // As SDR names them: the element is the child type's xmlElementName, else its directory name.
    const element = childType.xmlElementName ?? childType.directoryName;
    if (element && !childTypes.has(element)) childTypes.set(element, { name: childType.name, uniqueIdElement: childType.uniqueIdElement ?? 'fullName' });
  }
  const own: XmlNode[] = [];
  const out: RetrievedComponent[] = [];
  for (const n of parsed.children) {
    const childType = n.kind === 'element' ? childTypes.get(n.name) : undefined;
    if (!childType || n.kind !== 'element') {
      // Blanks between elements are layout (the general parser trims them away too).
      if (n.kind === 'element' || n.text.trim() !== '') own.push(n);
      continue;
    }
    // A child without a usable name is dropped, as SDR's own decomposition would.
    const name = leafText(n, childType.uniqueIdElement);
    if (!name) continue;
    const fullName = c.type.ignoreParsedFullName ? name : `${c.fullName}.${name}`;
    const file = `${rel}/${n.name}/${name}.xml`;
    const wrapper: XmlElement = { kind: 'element', name: parsed.name, attrs: xmlns, children: [n] };
    out.push({ type: childType.name, fullName, files: new Map([[file, toXmlText(wrapper)]]) });
  }
  out.push({ type: c.type.name, fullName: c.fullName, files: new Map([[rel, toXmlText({ ...parsed, children: own })]]) });
  return out;
}

/** split() through fast-xml-parser and its builder, for files the quick reader leaves alone. */
function splitParsed(xml: string, root: string, c: SourceComponent): RetrievedComponent[] {
  const xmlPath = c.xml!;
  const parsed = parser.parse(xml) as Record<string, Record<string, unknown> | string>;
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
export async function componentsFromZip(zip: Buffer, opts: { /** Tests: split parents with fast-xml-parser only. */ generalParser?: boolean } = {}): Promise<RetrievedComponent[]> {
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
      const parts = await split(tree, root, c, opts.generalParser === true).catch(() => undefined);
      if (parts) {
        out.push(...parts);
        continue;
      }
    }
    const component = { type: c.type.name, fullName: c.fullName, files: await filesOf(tree, root, c) };
    out.push(c.content && c.xml && !tree.isDirectory(c.content) ? withArchiveEntries(component, relative(root, c.content), relative(root, c.xml)) : component);
  }
  return out;
}

/**
 * Comparing one component file by file. Each file is reduced to the sha256 of its canonical form
 * (a "digest"), so a side can be compared — and cached — without keeping any content:
 * - `.xml` / `-meta.xml` files and other files that start with `<?xml` → canonical XML;
 * - code and markup (`.cls`, `.trigger`, `.js`, `.html`, `.css`, `.page`, `.cmp`, …) → normalized text;
 * - binary files (static resource bodies, images, fonts, archives, or anything that is not UTF-8)
 *   → byte equality.
 */
import { createHash } from 'node:crypto';
import { normalizeText, normalizeXml } from './normalize';
import type { ComponentDigest, ComponentFiles, DifferingFile } from './types';

export type { ComponentDigest } from './types';

export type FileMode = 'xml' | 'text' | 'bytes';


export interface ComponentDiff {
  status: 'identical' | 'different';
  /** Sorted by path; empty when identical. */
  differingFiles: DifferingFile[];
}

const BINARY_EXTENSIONS = new Set([
  'resource', 'zip', 'jar', 'gz', 'tgz', 'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'webp', 'tif', 'tiff',
  'pdf', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp3', 'mp4', 'wav', 'ogg', 'webm', 'asset',
  'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'swf',
]);

const TEXT_EXTENSIONS = new Set([
  'cls', 'trigger', 'apex', 'soql', 'js', 'mjs', 'cjs', 'ts', 'html', 'htm', 'css', 'scss', 'svg',
  'page', 'component', 'cmp', 'app', 'evt', 'intf', 'tokens', 'design', 'auradoc', 'email',
  'txt', 'md', 'csv', 'json', 'yaml', 'yml', 'wsdl', 'xsd', 'xsl', 'xslt',
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Decodes UTF-8, or undefined for bytes that are not text (NUL bytes or invalid UTF-8). */
function asText(content: string | Uint8Array): string | undefined {
  if (typeof content === 'string') return content;
  if (content.includes(0)) return undefined;
  try {
    return utf8.decode(content);
  } catch {
    return undefined;
  }
}

/** How a file is compared, by its name and (when the name does not tell) its content. */
export function fileModeFor(path: string, content: string | Uint8Array): FileMode {
  const ext = extensionOf(path);
  if (BINARY_EXTENSIONS.has(ext) && typeof content !== 'string') return 'bytes';
  const text = asText(content);
  if (text === undefined) return 'bytes';
  if (ext === 'xml') return 'xml';
  if (TEXT_EXTENSIONS.has(ext)) return 'text';
  return /^\uFEFF?\s*<\?xml[\s?]/.test(text) ? 'xml' : 'text';
}

export interface FileCanonical {
  /** The mode actually used: `text` for XML that is not well-formed. */
  mode: FileMode;
  canonical: string | Uint8Array;
  note?: string;
}

/** The canonical form of one file (what is hashed and, for text, what a diff view can show). */
export function canonicalFile(path: string, content: string | Uint8Array): FileCanonical {
  const mode = fileModeFor(path, content);
  if (mode === 'bytes') {
    return { mode, canonical: typeof content === 'string' ? Buffer.from(content, 'utf8') : content };
  }
  const text = asText(content)!;
  if (mode === 'text') return { mode, canonical: normalizeText(text) };
  const xml = normalizeXml(text);
  if (xml.mode === 'xml') return { mode: 'xml', canonical: xml.text };
  return { mode: 'text', canonical: xml.text, note: `not well-formed XML (${xml.reason}); compared as text` };
}

/** sha256 of one file's canonical form; the mode is part of it. */
export function hashFile(path: string, content: string | Uint8Array): { hash: string; note?: string } {
  const { mode, canonical, note } = canonicalFile(path, content);
  const hash = createHash('sha256').update(`${mode}\0`).update(canonical).digest('hex');
  return note === undefined ? { hash } : { hash, note };
}

/**
 * Whether two versions of one file mean the same, by the rules the compare applies (canonical XML,
 * normalized text, bytes): what "Diff with Environment" uses to call a local file identical.
 */
export function sameFile(path: string, a: string | Uint8Array, b: string | Uint8Array): boolean {
  return hashFile(path, a).hash === hashFile(path, b).hash;
}

/** Reduces a component to the hashes of its files' canonical forms. */
export function digestComponent(files: ComponentFiles): ComponentDigest {
  const hashes: Record<string, string> = {};
  let notes: Record<string, string> | undefined;
  for (const path of [...files.keys()].sort()) {
    const { hash, note } = hashFile(path, files.get(path)!);
    hashes[path] = hash;
    if (note !== undefined) (notes ??= {})[path] = note;
  }
  return notes ? { fingerprint: fingerprintOf(hashes), files: hashes, notes } : { fingerprint: fingerprintOf(hashes), files: hashes };
}

/** sha256 of the canonical forms of all files of a component (paths included). */
export function fingerprint(files: ComponentFiles): string {
  return digestComponent(files).fingerprint;
}

function fingerprintOf(hashes: Record<string, string>): string {
  const h = createHash('sha256');
  for (const path of Object.keys(hashes).sort()) h.update(`${path}\0${hashes[path]}\n`);
  return h.digest('hex');
}

/** Compares two digests file by file. */
export function diffDigests(source: ComponentDigest, target: ComponentDigest): ComponentDiff {
  if (source.fingerprint === target.fingerprint) return { status: 'identical', differingFiles: [] };
  const paths = new Set([...Object.keys(source.files), ...Object.keys(target.files)]);
  const differingFiles: DifferingFile[] = [];
  for (const path of [...paths].sort()) {
    const s = source.files[path];
    const t = target.files[path];
    if (s === undefined) differingFiles.push({ path, change: 'only-in-target' });
    else if (t === undefined) differingFiles.push({ path, change: 'only-in-source' });
    else if (s !== t) differingFiles.push({ path, change: 'modified' });
  }
  return { status: differingFiles.length === 0 ? 'identical' : 'different', differingFiles };
}

/** Compares the files of a component on both sides. */
export function diffComponent(source: ComponentFiles, target: ComponentFiles): ComponentDiff & { notes: string[] } {
  const s = digestComponent(source);
  const t = digestComponent(target);
  const notes = [
    ...Object.entries(s.notes ?? {}).map(([path, note]) => `source ${path}: ${note}`),
    ...Object.entries(t.notes ?? {}).map(([path, note]) => `target ${path}: ${note}`),
  ];
  return { ...diffDigests(s, t), notes };
}

/**
 * Read-only documents holding an org's version of a file: the sides of the native diff editor.
 * URI: `changeline-org:/<Environment>/<path in the component>`, e.g.
 * `changeline-org:/UAT/classes/AccountService.cls`, so the path ends in the real file name and
 * VS Code picks the language mode. Contents are put here just before a diff opens and evicted
 * when the last document showing them closes.
 */
import * as vscode from 'vscode';
import { ORG_FILE_SCHEME } from '../shared/ids';

export function toOrgFileUri(environment: string, filePath: string): vscode.Uri {
  const parts = [environment, ...filePath.split('/').filter(Boolean)];
  return vscode.Uri.from({ scheme: ORG_FILE_SCHEME, path: '/' + parts.map((p) => p.replace(/\//g, '_')).join('/') });
}

/** The read-only document of a file of a deployment record's package: `changeline-org:/DEP-00001 package/<path>`. */
export function packageDocumentUri(record: { number?: string }, filePath: string): vscode.Uri {
  return toOrgFileUri(`${record.number ?? 'Deployment'} package`, filePath);
}

export function fromOrgFileUri(uri: vscode.Uri): { environment: string; filePath: string } | undefined {
  if (uri.scheme !== ORG_FILE_SCHEME) return undefined;
  const [environment, ...rest] = uri.path.split('/').filter(Boolean);
  return environment && rest.length ? { environment, filePath: rest.join('/') } : undefined;
}

interface Entry {
  data: Uint8Array;
  mtime: number;
}

export class OrgFilesProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly files = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === ORG_FILE_SCHEME) this.files.delete(doc.uri.path);
      }),
    );
  }

  /** Registers the provider (read-only) for the org file scheme. */
  register(): vscode.Disposable {
    return vscode.workspace.registerFileSystemProvider(ORG_FILE_SCHEME, this, { isReadonly: true, isCaseSensitive: true });
  }

  /** Puts an org's file content at `uri` (an open document showing it is told it changed). */
  set(uri: vscode.Uri, data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const had = this.files.has(uri.path);
    this.files.set(uri.path, { data: bytes, mtime: Date.now() });
    if (had) this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /** Number of files held (evicted as their documents close). */
  get size(): number {
    return this.files.size;
  }

  private entry(uri: vscode.Uri): Entry {
    const e = this.files.get(uri.path);
    if (!e) throw vscode.FileSystemError.FileNotFound(uri);
    return e;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const e = this.entry(uri);
    return { type: vscode.FileType.File, ctime: e.mtime, mtime: e.mtime, size: e.data.byteLength, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.entry(uri).data;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(oldUri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(oldUri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.files.clear();
  }
}

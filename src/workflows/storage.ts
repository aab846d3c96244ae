/**
 * Where workflows keep state between runs (compare caches and results): named files in one
 * folder. The editor gives its global storage folder, the CLI a folder of its own; tests a
 * temporary one. Plain Node, no `vscode`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface FileStore {
  /** Where the files are, for messages and logs. */
  readonly location: string;
  /** The file's bytes; undefined when it does not exist. */
  read(name: string): Promise<Uint8Array | undefined>;
  write(name: string, data: Uint8Array): Promise<void>;
  /** Deletes every file. */
  clear(): Promise<void>;
}

export class NodeFileStore implements FileStore {
  constructor(readonly location: string) {}

  private file(name: string): string {
    if (name !== path.basename(name) || name === '..' || name === '.') throw new Error(`Not a file name: ${name}`);
    return path.join(this.location, name);
  }

  async read(name: string): Promise<Uint8Array | undefined> {
    try {
      return await fs.readFile(this.file(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    await fs.mkdir(this.location, { recursive: true });
    // Written aside and renamed, so a reader (or a crash) never sees half a file.
    const target = this.file(name);
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
  }

  async clear(): Promise<void> {
    await fs.rm(this.location, { recursive: true, force: true });
  }
}

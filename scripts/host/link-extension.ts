/** Links an extension folder into an extensions folder, as an installed extension would be. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function linkExtension(extensionsDir: string, extensionFolder: string): void {
  const pj = JSON.parse(fs.readFileSync(path.join(extensionFolder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  fs.mkdirSync(extensionsDir, { recursive: true });
  const link = path.join(extensionsDir, `${pj.publisher}.${pj.name}-${pj.version}`);
  for (const entry of fs.readdirSync(extensionsDir)) {
    // Older links (another version) and VS Code's cached index would shadow the current one.
    if (entry.startsWith(`${pj.publisher}.${pj.name}-`) || entry === 'extensions.json') {
      fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
    }
  }
  fs.symlinkSync(extensionFolder, link, 'dir');
}

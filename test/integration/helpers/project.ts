/** Throwaway sfdx projects on disk for deploy tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempProject {
  root: string;
  /** force-app/main/default */
  dir: string;
  write(rel: string, text: string | Buffer): string;
  remove(): void;
}

export function tempProject(prefix = 'changeline-proj-'): TempProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dir = path.join(root, 'force-app', 'main', 'default');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
  return {
    root,
    dir,
    write(rel, text) {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      return p;
    },
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

const META = (v = '62.0') => `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>${v}</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;

/** Writes classes/<name>.cls and its -meta.xml; returns the .cls path. */
export function writeClass(p: TempProject, name: string, body: string): string {
  p.write(`classes/${name}.cls-meta.xml`, META());
  return p.write(`classes/${name}.cls`, body);
}

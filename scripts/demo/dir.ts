/**
 * Where the demo keeps its orgs, HOME, workspace and VS Code state: outside this project's git
 * repository, so the demo project opens as a folder of its own (VS Code's Git does not ask "A git
 * repository was found in the parent folders…").
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The folder holding a `.git` at or above `dir`, if any. */
export function gitRootAbove(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The user's cache folder (XDG_CACHE_HOME, else ~/.cache)/changeline-demo; the temp folder's when that is in a git repository. */
export function defaultDemoDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir(), tmp = os.tmpdir()): string {
  const cache = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(home, '.cache');
  const dir = path.join(cache, 'changeline-demo');
  return gitRootAbove(dir) ? path.join(tmp, 'changeline-demo') : dir;
}

/**
 * A demo folder given inside a git repository (--dir): the workspace tells VS Code's Git not to
 * open the parent repository, rather than ask each time. Keeps any other setting there.
 */
export function keepOutOfParentRepository(workspace: string): void {
  if (!gitRootAbove(path.dirname(workspace))) return;
  const file = path.join(workspace, '.vscode', 'settings.json');
  let settings: Record<string, unknown> = {};
  try {
    settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet (or not JSON: replaced by ours)
  }
  if (settings['git.openRepositoryInParentFolders'] === 'never') return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...settings, 'git.openRepositoryInParentFolders': 'never' }, null, 2) + '\n');
}

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultDemoDir, gitRootAbove, keepOutOfParentRepository } from '../../../scripts/demo/dir';

describe('demo folder: outside any git repository', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-demo-dir-')))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('by default lives in the user cache folder, not in this project (whose git repository would take the demo project in)', () => {
    const dir = defaultDemoDir();
    const project = path.resolve(__dirname, '../../../..');
    assert.ok(gitRootAbove(project), 'this project is a git checkout');
    assert.ok(!dir.startsWith(project + path.sep), `${dir} is inside ${project}`);
    assert.equal(gitRootAbove(dir), undefined, `${dir} is inside a git repository`);
    assert.equal(defaultDemoDir({ XDG_CACHE_HOME: path.join(tmp, 'xdg') }, path.join(tmp, 'home')), path.join(tmp, 'xdg', 'changeline-demo'));
    assert.equal(defaultDemoDir({}, path.join(tmp, 'home')), path.join(tmp, 'home', '.cache', 'changeline-demo'));
  });

  it('falls back to the temp folder when the cache folder is in a git repository (a home kept in git)', () => {
    const home = path.join(tmp, 'home');
    fs.mkdirSync(path.join(home, '.git'), { recursive: true });
    assert.equal(defaultDemoDir({}, home, path.join(tmp, 'temp')), path.join(tmp, 'temp', 'changeline-demo'));
  });

  it('a demo folder given inside a git repository: the workspace tells Git not to open the parent repository, keeping other settings', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    const ws = path.join(repo, '.cache', 'demo', 'workspace');
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), '{ "editor.tabSize": 4 }');
    keepOutOfParentRepository(ws);
    const settings = JSON.parse(fs.readFileSync(path.join(ws, '.vscode', 'settings.json'), 'utf8'));
    assert.deepEqual(settings, { 'editor.tabSize': 4, 'git.openRepositoryInParentFolders': 'never' });

    const outside = path.join(tmp, 'plain', 'workspace');
    fs.mkdirSync(outside, { recursive: true });
    keepOutOfParentRepository(outside);
    assert.ok(!fs.existsSync(path.join(outside, '.vscode')), 'nothing written outside a repository');
  });
});

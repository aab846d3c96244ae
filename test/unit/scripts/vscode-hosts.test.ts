import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linkExtension } from '../../../scripts/host/link-extension';
import { parseHostName, ROOT, VSCODE_HOSTS } from '../../../scripts/host/paths';

describe('VS Code test hosts', () => {
  it('names a host floor or latest, and says which names exist otherwise', () => {
    assert.equal(parseHostName('floor'), 'floor');
    assert.equal(parseHostName('latest'), 'latest');
    assert.throws(() => parseHostName('newest', '--host'), /--host is "newest": expected one of floor, latest/);
    assert.throws(() => parseHostName(''), /CHANGELINE_VSCODE_HOST is "": expected one of floor, latest/);
  });

  it('runs each host from the version install-test-deps.sh installs', () => {
    const script = fs.readFileSync(path.join(ROOT, 'scripts', 'install-test-deps.sh'), 'utf8');
    const version = (name: string) => script.match(new RegExp(`^${name}="([^"]+)"`, 'm'))?.[1];
    assert.equal(version('CODE_SERVER_VERSION'), VSCODE_HOSTS.floor.codeServerVersion);
    assert.equal(version('LATEST_CODE_SERVER_VERSION'), VSCODE_HOSTS.latest.codeServerVersion);
    assert.equal(version('LATEST_NODE_VERSION')?.split('.')[0], String(VSCODE_HOSTS.latest.nodeMajor));
    // Separate install folders: the latest host never replaces the floor one.
    assert.notEqual(path.dirname(path.dirname(VSCODE_HOSTS.floor.bin)), path.dirname(path.dirname(VSCODE_HOSTS.latest.bin)));
  });

  it('the engines.vscode floor is the floor host', () => {
    const pj = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { vscode: string } };
    const [major, minor] = VSCODE_HOSTS.floor.vscodeVersion.split('.');
    assert.equal(pj.engines.vscode, `^${major}.${minor}.0`);
  });

  describe('linking an extension as installed', () => {
    let tmp: string;
    beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-link-'))));
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('links it as publisher.name-version, replacing an older link and the cached index', () => {
      const ext = path.join(tmp, 'ext');
      const dir = path.join(tmp, 'extensions');
      fs.mkdirSync(ext);
      fs.writeFileSync(path.join(ext, 'package.json'), JSON.stringify({ publisher: 'acme', name: 'tool', version: '2.0.0' }));
      fs.mkdirSync(path.join(dir, 'acme.tool-1.0.0'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'other.ext-1.0.0'));
      fs.writeFileSync(path.join(dir, 'extensions.json'), '[]');
      linkExtension(dir, ext);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['acme.tool-2.0.0', 'other.ext-1.0.0']);
      assert.equal(fs.realpathSync(path.join(dir, 'acme.tool-2.0.0')), fs.realpathSync(ext));
    });
  });
});

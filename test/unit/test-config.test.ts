/**
 * The test runners refuse `it.only` / `describe.only`: one left behind would silently skip the rest
 * of its tier, and the tier would still report success.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

describe('test runner configuration', () => {
  it('every mocha configuration forbids .only', () => {
    const configs = fs.readdirSync(root).filter((f) => /^\.mocharc\..*\.json$/.test(f));
    assert.ok(configs.length >= 3, `mocha configurations found: ${configs.join(', ')}`);
    for (const f of configs) {
      const c = JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as { forbidOnly?: boolean };
      assert.equal(c.forbidOnly, true, `${f} must set "forbidOnly": true`);
    }
  });

  it('the extension-host runner forbids .only', () => {
    const runner = fs.readFileSync(path.join(root, 'test', 'extension', 'index.ts'), 'utf8');
    assert.match(runner, /new Mocha\(\{[^}]*forbidOnly: true/);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, COMMAND_CATEGORY, COMMAND_IDS, CONTEXT_KEYS, ENVIRONMENTS_VIEW_ID, VIEW_CONTAINER_ID } from '../../src/shared/ids';
import { SETTINGS, CONFIG_SECTION } from '../../src/config';
import { ROLES, TEST_LEVELS } from '../../src/core/pipeline';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes;

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

function allMenuItems(): Array<MenuItem & { menu: string }> {
  return Object.entries(contributes.menus as Record<string, MenuItem[]>).flatMap(([menu, items]) => items.map((i) => ({ ...i, menu })));
}

describe('package.json manifest', () => {
  it('targets VS Code ^1.100.0 and runs the esbuild bundle', () => {
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.equal(pkg.main, './dist/extension.js');
    assert.ok(pkg.scripts.build.includes('esbuild.mjs'));
  });

  it('contributes exactly the commands of the command table, each with a category and the same title', () => {
    const contributed = contributes.commands as Array<{ command: string; title: string; category?: string }>;
    assert.deepEqual(contributed.map((c) => c.command).sort(), [...COMMAND_IDS].sort());
    for (const spec of Object.values(COMMANDS)) {
      const c = contributed.find((x) => x.command === spec.id)!;
      assert.equal(c.title, spec.title, spec.id);
      assert.equal(c.category, COMMAND_CATEGORY, `${spec.id} has no category`);
    }
  });

  it('registers every command of the table in one place (commands/index.ts maps each table entry)', () => {
    // The table is the single source: index.ts registers Object.keys(COMMANDS) with a handler per key.
    const source = fs.readFileSync(path.join(root, 'src/commands/index.ts'), 'utf8');
    assert.match(source, /Object\.keys\(COMMANDS\)/);
    const handlers = source.slice(source.indexOf('const HANDLERS'), source.indexOf('};', source.indexOf('const HANDLERS')));
    for (const name of Object.keys(COMMANDS)) assert.match(handlers, new RegExp(`\\b${name}\\b`), `no handler for ${name}`);
  });

  it('menus reference contributed commands only', () => {
    for (const item of allMenuItems()) assert.ok(COMMAND_IDS.includes(item.command), `${item.menu} references unknown ${item.command}`);
  });

  it('tree-only commands are hidden from the palette and reachable from the tree context menu; others are not hidden', () => {
    const palette = (contributes.menus.commandPalette ?? []) as MenuItem[];
    const context = contributes.menus['view/item/context'] as MenuItem[];
    for (const spec of Object.values(COMMANDS) as Array<{ id: string; treeOnly?: boolean }>) {
      const hidden = palette.some((p) => p.command === spec.id && p.when === 'false');
      assert.equal(hidden, Boolean(spec.treeOnly), `${spec.id} palette visibility`);
      if (spec.treeOnly) assert.ok(context.some((m) => m.command === spec.id), `${spec.id} missing from the tree context menu`);
    }
  });

  it('tree item menus match node kinds used as contextValue', () => {
    const kinds = /viewItem (?:==|=~) ([^\s&|]+)/g;
    for (const item of contributes.menus['view/item/context'] as MenuItem[]) {
      assert.match(item.when ?? '', new RegExp(`view == ${ENVIRONMENTS_VIEW_ID.replace('.', '\\.')}`));
      const found = [...(item.when ?? '').matchAll(kinds)].map((m) => m[1]);
      assert.ok(found.length > 0, `${item.command} menu has no viewItem condition`);
      for (const f of found) assert.match(f, /environment|pipelineProblem|trackingMissing|changeRequest|deployment/);
    }
    assert.ok(
      (contributes.menus['view/item/context'] as MenuItem[]).some((m) => m.command === COMMANDS.testConnection.id && m.group?.startsWith('inline')),
      'Test Connection is an inline action',
    );
  });

  it('has the activity-bar container, the Environments view and its activation events', () => {
    assert.deepEqual(contributes.viewsContainers.activitybar[0], { id: VIEW_CONTAINER_ID, title: 'Changeline', icon: 'media/changeline.svg' });
    assert.ok(fs.existsSync(path.join(root, 'media/changeline.svg')));
    const view = contributes.views[VIEW_CONTAINER_ID][0];
    assert.equal(view.id, ENVIRONMENTS_VIEW_ID);
    assert.equal(view.name, 'Environments');
    assert.ok(pkg.activationEvents.includes(`onView:${ENVIRONMENTS_VIEW_ID}`));
    assert.ok(pkg.activationEvents.includes('workspaceContains:.changeline/pipeline.json'));
  });

  it('welcome views link to contributed commands and use the context keys the extension sets', () => {
    const keys = Object.values(CONTEXT_KEYS);
    for (const w of contributes.viewsWelcome as Array<{ view: string; contents: string; when: string }>) {
      assert.equal(w.view, ENVIRONMENTS_VIEW_ID);
      for (const m of w.contents.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(COMMAND_IDS.includes(m[1]) || m[1].startsWith('vscode.'), `welcome links unknown command ${m[1]}`);
      }
      for (const m of w.when.matchAll(/changeline\.\w+/g)) assert.ok(keys.includes(m[0] as never), `unknown context key ${m[0]}`);
    }
    const texts = (contributes.viewsWelcome as Array<{ contents: string }>).map((w) => w.contents).join('\n');
    assert.match(texts, /command:changeline\.createPipeline/);
    assert.match(texts, /command:changeline\.addEnvironment/);
  });

  it('settings: titled sections, keys and defaults agree with config.ts, enums described', () => {
    const sections = contributes.configuration as Array<{ title: string; properties: Record<string, { default: unknown; enum?: string[]; enumDescriptions?: string[]; description?: string; markdownDescription?: string }> }>;
    const keys: string[] = [];
    for (const s of sections) {
      assert.ok(s.title, 'every settings section has a title');
      for (const [key, prop] of Object.entries(s.properties)) {
        keys.push(key);
        assert.ok(key.startsWith(`${CONFIG_SECTION}.`), key);
        assert.deepEqual(prop.default, SETTINGS[key.slice(CONFIG_SECTION.length + 1) as keyof typeof SETTINGS], `default of ${key}`);
        assert.ok(prop.description || prop.markdownDescription, `${key} has a description`);
        if (prop.enum) assert.equal(prop.enumDescriptions?.length, prop.enum.length, `${key} enumDescriptions`);
      }
    }
    assert.deepEqual(keys.sort(), Object.keys(SETTINGS).map((k) => `${CONFIG_SECTION}.${k}`).sort());
  });

  it('contributes the pipeline schema for .changeline/pipeline.json, in step with the validator', () => {
    const [v] = contributes.jsonValidation as Array<{ fileMatch: string; url: string }>;
    assert.match(v.fileMatch, /\.changeline\/pipeline\.json$/);
    const schema = JSON.parse(fs.readFileSync(path.join(root, v.url), 'utf8'));
    const env = schema.definitions.environment;
    assert.deepEqual(env.properties.role.enum, [...ROLES]);
    assert.deepEqual(env.properties.testLevel.enum, [...TEST_LEVELS]);
    assert.deepEqual(env.required, ['name', 'org', 'role']);
    assert.deepEqual(schema.required, ['version', 'environments']);
  });

  it('.vscodeignore is an allow-list that ships the bundle, schema and media', () => {
    const lines = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], '**');
    for (const need of ['!dist/**', '!package.json', '!media/**', '!schemas/**', '!LICENSE']) assert.ok(lines.includes(need), need);
  });
});

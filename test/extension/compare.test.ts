/**
 * Compare in the real extension host against the emulated orgs (seeded so that UAT differs from
 * Production in known ways): the result, the panel, diffs from the panel, CSV export, the
 * persistent cache, and Diff with Environment on a local file.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import * as vscode from 'vscode';
import { newDraft } from '../../src/core/change-requests/model';
import type { Log } from '../../src/log';
import { CompareStore } from '../../src/workflows/compare/store';
import { NodeFileStore } from '../../src/workflows/storage';
import type { CompareResult } from '../../src/core/compare/types';
import type { LocalDiffSummary } from '../../src/commands/compare/compareLocal';
import { seedDifferences } from '../emulator/seed';
import { testEmulator, testWorkspace } from './index';
import { ScriptedPrompts } from './changeRequestsSupport';
import { changeline, waitFor, WEBVIEW_BOOT_MS } from './support';

/** Types no other suite deploys to (change tracking adds objects, fields, layouts, permission sets). */
const TYPES = ['ApexClass', 'ApexTrigger', 'ApexPage', 'LightningComponentBundle', 'AuraDefinitionBundle', 'Flow', 'CustomLabel', 'StaticResource', 'FlexiPage'];
const SEED = 1;
const COMPONENTS = 60;
const key = (r: { type: string; fullName: string }) => `${r.type}:${r.fullName}`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const text = (b: string) => Buffer.from(b, 'base64').toString('utf8');

function compare(arg: Record<string, unknown>): Thenable<CompareResult | undefined> {
  return vscode.commands.executeCommand<CompareResult | undefined>('changeline.compareEnvironments', arg);
}

async function activeDiff(title: RegExp): Promise<{ label: string; original: vscode.Uri; modified: vscode.Uri }> {
  return waitFor(`a diff editor titled ${title}`, () => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (!tab || !(tab.input instanceof vscode.TabInputTextDiff) || !title.test(tab.label)) return undefined;
    return { label: tab.label, original: tab.input.original, modified: tab.input.modified };
  }, 30_000);
}

async function docText(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

describe('Compare environments (extension host, emulated orgs)', function () {
  this.timeout(120_000);
  let first: CompareResult;

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('compares UAT with Production and finds exactly the seeded differences', async () => {
    const api = await changeline();
    await api.compare.store.clear();
    const result = await compare({ source: 'UAT', target: 'Production', types: TYPES, full: true });
    assert.ok(result, 'the command resolves with the result');
    first = result;
    const d = seedDifferences(SEED, COMPONENTS, 1); // UAT is the second seeded org; Production the base
    const inScope = (r: { type: string }) => TYPES.includes(r.type);
    const got = (status: string) => result.items.filter((i) => i.status === status).map(key).sort();
    assert.deepEqual(got('different'), d.changed.filter(inScope).map(key).sort());
    assert.deepEqual(got('only-in-source'), d.onlyInSibling.filter(inScope).map(key).sort());
    assert.deepEqual(got('only-in-target'), d.onlyInBase.filter(inScope).map(key).sort());
    assert.ok(got('different').length + got('only-in-source').length + got('only-in-target').length > 0, 'the seed gives differences in these types');
    assert.ok(got('identical').length > 5, 'most components are the same');
    assert.equal(result.countsByStatus.different, got('different').length);
    assert.equal(result.retrievedCount, 2 * (got('different').length + got('identical').length), 'a full compare retrieves every shared component from both orgs');
    assert.equal(result.fromCacheCount, 0);
    // The retrieved zips were read by the packaged worker thread, not on the extension host's thread.
    const workers = (await api.salesforce()).digestWorkerStatus();
    assert.match(workers.file, /[\\/]dist[\\/]zip-digest-worker\.js$/);
    assert.ok(workers.inWorker > 0, JSON.stringify(workers));
    assert.equal(workers.inThread, 0, JSON.stringify(workers));

    const panel = api.compare.panels.get('UAT', 'Production');
    assert.ok(panel, 'the compare panel opened');
    assert.equal(panel.panel.title, 'Compare UAT ↔ Production');
    await waitFor('the panel script to start under its CSP and say ready', () => panel.ready, WEBVIEW_BOOT_MS);
    assert.equal(panel.view?.items.length, result.items.length);
    assert.equal(api.compare.panels.active(), panel);
  });

  it('compares again from the cache: only what changed since is retrieved', async () => {
    const api = await changeline();
    const again = await compare({ source: 'UAT', target: 'Production', types: TYPES });
    assert.ok(again);
    assert.equal(again.retrievedCount, 0, 'nothing changed: nothing retrieved');
    assert.equal(again.fromCacheCount, first.retrievedCount);
    assert.deepEqual(again.items.map((i) => `${key(i)}=${i.status}`), first.items.map((i) => `${key(i)}=${i.status}`));
    // UAT (a sandbox with source tracking) was not listed again; Production has no source tracking.
    assert.deepEqual(again.listing.source, { mode: 'tracked', changes: 0, relistedTypes: 0, listedAt: again.listing.source.listedAt });
    assert.deepEqual(again.listing.target, { mode: 'full' });
    assert.deepEqual(api.compare.panels.get('UAT', 'Production')?.view?.listing, again.listing, 'the panel is told how each org was listed');

    // Someone edits an identical class in UAT: the next compare retrieves that one class (from UAT only).
    const uat = testEmulator().org('uat');
    const same = first.items.find((i) => i.status === 'identical' && i.type === 'ApexClass')!;
    const stored = uat.store.getComponent('ApexClass', same.fullName)!;
    const clsPath = Object.keys(stored.files).find((p) => p.endsWith('.cls'))!;
    const files = { ...stored.files, [clsPath]: b64(text(stored.files[clsPath]) + '\n// edited in UAT\n') };
    uat.store.commitMetadata([{ type: 'ApexClass', fullName: same.fullName, files }], [], uat.admin.id, new Date(Date.now() + 60_000));
    const third = await compare({ source: 'UAT', target: 'Production', types: TYPES });
    assert.ok(third);
    assert.equal(third.retrievedCount, 1);
    assert.equal(third.fromCacheCount, first.retrievedCount - 1);
    assert.equal(third.items.find((i) => key(i) === key(same))?.status, 'different');
    assert.equal(third.listing.source.changes, 1, 'source tracking reported the edit');
    // The cache is kept in the extension's storage, per org.
    const orgs = fs.readdirSync(api.compare.store.folder());
    assert.ok(orgs.filter((f) => f.startsWith('cache-')).length >= 2, orgs.join());
  });

  it('reads the saved cache back after a restart, and treats a damaged cache file as absent', async () => {
    const api = await changeline();
    const { orgId } = await api.sessions.get('UAT');
    const storage = new NodeFileStore(api.compare.store.folder());
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m) } as unknown as Log;
    const restarted = new CompareStore(storage, log);
    const reloaded = await restarted.cacheFor([orgId]);
    assert.equal(restarted.entries(orgId), api.compare.store.entries(orgId), 'a new session loads the same entries from storage');
    assert.deepEqual(reloaded.getListing(orgId), (await api.compare.store.cacheFor([orgId])).getListing(orgId), 'and UAT\u2019s kept listing');
    assert.ok(reloaded.getListing(orgId));
    assert.ok(restarted.entries(orgId) > 10);
    const file = fs.readdirSync(api.compare.store.folder()).find((f) => f.startsWith('cache-') && f.includes(orgId))!;
    const full = path.join(api.compare.store.folder(), file);
    const saved = fs.readFileSync(full);
    fs.writeFileSync(full, '{"version": broken');
    try {
      const damaged = new CompareStore(storage, log);
      await damaged.cacheFor([orgId]);
      assert.equal(damaged.entries(orgId), 0);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /could not read .*ignoring it/);
    } finally {
      fs.writeFileSync(full, saved);
    }
  });

  it('opens a diff from the panel: the two orgs\u2019 versions side by side, titled with both environments', async () => {
    const api = await changeline();
    const panel = api.compare.panels.get('UAT', 'Production')!;
    const item = panel.view!.items.find((i) => i.status === 'different' && i.type === 'ApexClass') ?? panel.view!.items.find((i) => i.status === 'different')!;
    const before = panel.handled;
    await panel.handleMessage({ type: 'openDiff', ref: { type: item.type, fullName: item.fullName } });
    assert.equal(panel.handled, before + 1);
    const diff = await activeDiff(/\(UAT ↔ Production\)/);
    const file = item.differingFiles![0].path;
    assert.equal(diff.label, `${path.posix.basename(file)} (UAT ↔ Production)`);
    assert.equal(diff.original.scheme, 'changeline-org');
    assert.ok(diff.original.path.endsWith(file), diff.original.path);
    const [left, right] = [await docText(diff.original), await docText(diff.modified)];
    assert.notEqual(left, right);
    const inProd = testEmulator().org('prod').store.getComponent(item.type, item.fullName)!;
    const prodFile = Object.entries(inProd.files).find(([p]) => path.posix.basename(p) === path.posix.basename(file));
    assert.ok(prodFile, `Production stores ${file}`);
    assert.equal(right.replace(/\r\n/g, '\n').trim(), text(prodFile[1]).replace(/\r\n/g, '\n').trim(), 'the right side is Production\u2019s file');
    // An Apex class reads as Apex (this host has no Apex extension: Java, its nearest built-in mode), not as TeX.
    assert.ok(file.endsWith('.cls'), file);
    const apex = (await vscode.languages.getLanguages()).includes('apex') ? 'apex' : 'java';
    assert.equal((await vscode.workspace.openTextDocument(diff.original)).languageId, apex);
    assert.equal((await vscode.workspace.openTextDocument(diff.modified)).languageId, apex);
    // Read-only: VS Code refuses to save an org document.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(diff.original, new Uint8Array([1]))));
  });

  it('refuses a diff path that climbs out of the component, and a message it does not know, before acting', async () => {
    const api = await changeline();
    const panel = api.compare.panels.get('UAT', 'Production')!;
    // A component of the result and its real file: the only thing wrong with the messages below is the path.
    const item = panel.view!.items.find((i) => i.status === 'different' && i.type === 'ApexClass')!;
    const ref = { type: item.type, fullName: item.fullName };
    const file = item.differingFiles![0].path;
    const diffTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff);
    await vscode.window.tabGroups.close(diffTabs());
    const handled = panel.handled;
    await panel.handleMessage({ type: 'openDiff', ref, path: `${path.posix.dirname(file)}/../${file}` });
    await panel.handleMessage({ type: 'openDiff', ref, path: '../../../etc/passwd' });
    await panel.handleMessage({ type: 'openDiff', ref, path: `/${file}` });
    await panel.handleMessage({ type: 'runCommand', command: 'workbench.action.quit' });
    assert.equal(panel.handled, handled, 'the guard refused them: none reached an action');
    assert.equal(diffTabs().length, 0);
    // The same message with the file's own path opens its diff: only the path kept the others out.
    await panel.handleMessage({ type: 'openDiff', ref, path: file });
    assert.equal(panel.handled, handled + 1);
    await activeDiff(/\(UAT ↔ Production\)/);
  });

  it('exports the shown result as CSV', async () => {
    const file = path.join(os.tmpdir(), `changeline-compare-${Date.now()}.csv`);
    const written = await vscode.commands.executeCommand<string>('changeline.exportCompareCsv', { file });
    assert.equal(written, file);
    const api = await changeline();
    const view = api.compare.panels.get('UAT', 'Production')!.view!;
    const lines = fs.readFileSync(file, 'utf8').split('\r\n').filter(Boolean);
    fs.rmSync(file, { force: true });
    assert.equal(lines[0], 'status,type,fullName,differingFiles,sourceModified,targetModified');
    assert.equal(lines.length, view.items.length + 1);
    const diff = view.items.find((i) => i.status === 'different')!;
    assert.ok(lines.some((l) => l.startsWith(`different,${diff.type},${diff.fullName},`)), 'a differing component is a row');
  });

  it('diffs a local file with an environment: the org\u2019s version left, the local file right', async () => {
    // UAT gets its own Greeting (one line differs from the project's).
    const local = path.join(testWorkspace(), 'force-app', 'main', 'default', 'classes', 'Greeting.cls');
    const localText = fs.readFileSync(local, 'utf8');
    const orgText = localText.replace("'Hello, '", "'Hi, '");
    const uat = testEmulator().org('uat');
    const meta = fs.readFileSync(local + '-meta.xml', 'utf8');
    uat.store.commitMetadata([{ type: 'ApexClass', fullName: 'Greeting', files: { 'classes/Greeting.cls': b64(orgText), 'classes/Greeting.cls-meta.xml': b64(meta) } }], [], uat.admin.id);

    const summary = await vscode.commands.executeCommand<LocalDiffSummary>('changeline.diffWithEnvironment', vscode.Uri.file(local), 'UAT');
    assert.ok(summary, 'the command resolves with what it compared');
    assert.deepEqual(summary.differing, ['main/default/classes/Greeting.cls']);
    const diff = await activeDiff(/Greeting\.cls \(UAT ↔ local\)/);
    assert.equal(diff.modified.fsPath, local);
    assert.equal((await docText(diff.original)).replace(/\r\n/g, '\n'), orgText.replace(/\r\n/g, '\n'));
    const apex = (await vscode.languages.getLanguages()).includes('apex') ? 'apex' : 'java';
    assert.deepEqual([(await vscode.workspace.openTextDocument(diff.original)).languageId, (await vscode.workspace.openTextDocument(diff.modified)).languageId], [apex, apex], 'both sides read as Apex, not TeX');

    // The whole classes folder: counts, no picker when told which file (none) to open.
    const folder = await vscode.commands.executeCommand<LocalDiffSummary>('changeline.diffWithEnvironment', vscode.Uri.file(path.dirname(local)), 'UAT', { open: false });
    assert.deepEqual(folder.differing, ['main/default/classes/Greeting.cls']);
    assert.deepEqual(folder.identical, ['main/default/classes/Greeting.cls-meta.xml']);
    assert.deepEqual(folder.notInOrg, []);

    // The org writes its XML its own way (declaration, indentation, element order): a local file
    // laid out otherwise but meaning the same is identical, as the compare would call it.
    fs.writeFileSync(local + '-meta.xml', `<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\r\n  <status>Active</status>\r\n  <apiVersion>62.0</apiVersion>\r\n</ApexClass>`);
    try {
      const relaid = await vscode.commands.executeCommand<LocalDiffSummary>('changeline.diffWithEnvironment', vscode.Uri.file(path.dirname(local)), 'UAT', { open: false });
      assert.deepEqual(relaid.identical, ['main/default/classes/Greeting.cls-meta.xml']);
      fs.writeFileSync(local + '-meta.xml', meta.replace('<status>Active</status>', '<status>Inactive</status>'));
      const changed = await vscode.commands.executeCommand<LocalDiffSummary>('changeline.diffWithEnvironment', vscode.Uri.file(path.dirname(local)), 'UAT', { open: false });
      assert.deepEqual(changed.differing, ['main/default/classes/Greeting.cls', 'main/default/classes/Greeting.cls-meta.xml']);
    } finally {
      fs.writeFileSync(local + '-meta.xml', meta);
    }

    // Production has no Greeting: said, not diffed against nothing.
    const prod = await vscode.commands.executeCommand<LocalDiffSummary>('changeline.diffWithEnvironment', vscode.Uri.file(local), 'Production');
    assert.deepEqual(prod.notInOrg, ['main/default/classes/Greeting.cls']);
    assert.equal(prod.opened, undefined);
  });

  it('compares only a change request\u2019s components, reporting those neither environment has', async () => {
    const api = await changeline();
    const sf = await api.salesforce();
    const { handle } = await api.sessions.get('UAT');
    const status = await sf.trackingStatus(handle);
    if (!status.installed || status.upgradeAvailable) assert.ok((await sf.installTracking(handle, { pollMs: 20 })).success);
    const changed = first.items.find((i) => i.status === 'different')!;
    const identical = first.items.find((i) => i.status === 'identical' && i.type !== 'ApexClass')!;
    const missing = { type: 'ApexClass', fullName: 'NoSuchClass_Anywhere' };
    const cr = await sf.createChangeRequest(
      handle,
      newDraft({ name: `compare ${Date.now().toString(36)}`, customizations: [{ type: changed.type, fullName: changed.fullName }, { type: identical.type, fullName: identical.fullName }], proposedCustomizations: [missing] }),
    );
    assert.ok(cr.id);
    const result = await vscode.commands.executeCommand<CompareResult>('changeline.compareChangeRequest', { environment: 'UAT', id: cr.id, target: 'Production' });
    assert.ok(result);
    assert.deepEqual(result.items.map((i) => `${key(i)}=${i.status}`).sort(), [`${key(changed)}=different`, `${key(identical)}=identical`].sort());
    assert.deepEqual(result.notFound.map(key), [key(missing)]);
    const panel = api.compare.panels.get('UAT', 'Production')!;
    assert.match(panel.view!.scope, /^Change request /);
    assert.equal(panel.view!.items.length, 2);
  });

  it('opens a bundle whose files differ file by file', async () => {
    const api = await changeline();
    // Two files of an identical LWC bundle change in UAT.
    const uat = testEmulator().org('uat');
    const lwc = first.items.find((i) => i.status === 'identical' && i.type === 'LightningComponentBundle')!;
    const stored = uat.store.getComponent(lwc.type, lwc.fullName)!;
    const paths = Object.keys(stored.files).filter((p) => /\.(js|html)$/.test(p)).sort();
    assert.equal(paths.length, 2, `the seeded bundle has a js and an html file: ${Object.keys(stored.files).join()}`);
    const files = { ...stored.files };
    for (const p of paths) files[p] = b64(text(stored.files[p]) + (p.endsWith('.js') ? '\n// UAT only\n' : '\n<!-- UAT only -->\n'));
    uat.store.commitMetadata([{ type: lwc.type, fullName: lwc.fullName, files }], [], uat.admin.id, new Date(Date.now() + 120_000));
    const result = await compare({ source: 'UAT', target: 'Production', types: TYPES });
    const item = result!.items.find((i) => key(i) === key(lwc))!;
    assert.equal(item.status, 'different');
    assert.deepEqual(item.differingFiles!.map((f) => path.posix.basename(f.path)).sort(), paths.map((p) => path.posix.basename(p)).sort());
    const panel = api.compare.panels.get('UAT', 'Production')!;
    for (const f of item.differingFiles!) {
      await panel.handleMessage({ type: 'openDiff', ref: { type: lwc.type, fullName: lwc.fullName }, path: f.path });
      const diff = await activeDiff(new RegExp(`^${path.posix.basename(f.path).replace(/\./g, '\\.')} \\(UAT ↔ Production\\)$`));
      assert.match(await docText(diff.original), /UAT only/);
      assert.doesNotMatch(await docText(diff.modified), /UAT only/);
    }
  });

  it('compares an archive static resource by its entries, whatever their times, and opens it entry by entry', async () => {
    const api = await changeline();
    const [uat, prod] = [testEmulator().org('uat'), testEmulator().org('prod')];
    const name = `leaflet${Date.now().toString(36)}`;
    // As SDR zips a folder static resource at each deploy: every entry stamped with that moment.
    const archive = async (css: string, date: Date) => {
      const zip = new JSZip();
      zip.file('leaflet.js', '/* Leaflet */\nwindow.L = {};\n', { date });
      zip.file('css/leaflet.css', css, { date });
      zip.file('images/marker.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2]), { date });
      return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    };
    const meta = b64('<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">\n    <cacheControl>Public</cacheControl>\n    <contentType>application/zip</contentType>\n</StaticResource>\n');
    const resource = (zip: Buffer) => ({ type: 'StaticResource', fullName: name, files: { [`staticresources/${name}.resource`]: zip.toString('base64'), [`staticresources/${name}.resource-meta.xml`]: meta } });
    const later = new Date(Date.now() + 240_000);
    uat.store.commitMetadata([resource(await archive('.pane { z-index: 401; }\n', new Date(2026, 0, 5, 9, 0)))], [], uat.admin.id, later);
    prod.store.commitMetadata([resource(await archive('.pane { z-index: 400; }\n', new Date(2026, 2, 1, 17, 30)))], [], prod.admin.id, later);
    try {
      const result = await compare({ source: 'UAT', target: 'Production', types: TYPES });
      const item = result!.items.find((i) => i.type === 'StaticResource' && i.fullName === name);
      assert.equal(item?.status, 'different');
      // Only the changed entry: the others differ in the zips by their times alone.
      assert.deepEqual(item.differingFiles, [{ path: `staticresources/${name}/css/leaflet.css`, change: 'modified' }]);
      const panel = api.compare.panels.get('UAT', 'Production')!;
      await panel.handleMessage({ type: 'openDiff', ref: { type: 'StaticResource', fullName: name } });
      const diff = await activeDiff(/^leaflet\.css \(UAT ↔ Production\)$/);
      assert.equal(await docText(diff.original), '.pane { z-index: 401; }\n');
      assert.equal(await docText(diff.modified), '.pane { z-index: 400; }\n');
      await panel.handleMessage({ type: 'openDiff', ref: { type: 'StaticResource', fullName: name }, path: `staticresources/${name}/leaflet.js` });
      const js = await activeDiff(/^leaflet\.js \(UAT ↔ Production\)$/);
      assert.equal(await docText(js.original), await docText(js.modified));
    } finally {
      uat.store.commitMetadata([], [{ type: 'StaticResource', fullName: name }], uat.admin.id);
      prod.store.commitMetadata([], [{ type: 'StaticResource', fullName: name }], prod.admin.id);
    }
  });

  it('creates a change request in the source environment from the selected components', async () => {
    const api = await changeline();
    const sf = await api.salesforce();
    const { handle } = await api.sessions.get('UAT');
    const panel = api.compare.panels.get('UAT', 'Production')!;
    const picked = panel.view!.items.filter((i) => i.status === 'different').slice(0, 2).map((i) => ({ type: i.type, fullName: i.fullName }));
    // A component only Production has is not in UAT yet: it becomes a proposed customization.
    const absent = panel.view!.items.find((i) => i.status === 'only-in-target');
    assert.ok(absent, 'the seeded orgs differ by a component only the target has');
    const name = `from compare ${Date.now().toString(36)}`;
    const saved = { input: api.prompts.input, pick: api.prompts.pick };
    api.prompts.input = async () => name;
    api.prompts.pick = (async (items: readonly vscode.QuickPickItem[]) => items.find((i) => i.label === 'Feature')) as typeof api.prompts.pick;
    try {
      await panel.handleMessage({ type: 'createChangeRequest', refs: [...picked, { type: absent.type, fullName: absent.fullName }] });
    } finally {
      Object.assign(api.prompts, saved);
    }
    const cr = await waitFor('the new change request in UAT', async () => (await sf.listChangeRequests(handle, { pageSize: 50 })).items.find((c) => c.name === name), 30_000);
    assert.deepEqual(cr.customizations.map(key).sort(), picked.map(key).sort());
    assert.deepEqual(cr.proposedCustomizations.map(key), [key(absent)]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says clearly when a file is not Salesforce metadata', async () => {
    const api = await changeline();
    const sf = await api.salesforce();
    assert.deepEqual(sf.componentsAt([path.join(testWorkspace(), 'sfdx-project.json')]), []);
    const r = await vscode.commands.executeCommand('changeline.diffWithEnvironment', vscode.Uri.file(path.join(testWorkspace(), 'sfdx-project.json')), 'UAT');
    assert.equal(r, undefined, 'the command stops with a message instead of opening anything');
  });

  it('says a binary file differs, with its sizes, instead of showing its bytes as text', async () => {
    const api = await changeline();
    const [uat, prod] = [testEmulator().org('uat'), testEmulator().org('prod')];
    const name = `Logo${Date.now().toString(36)}`;
    const png = (fill: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(fill, 7)]);
    const meta = b64('<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">\n    <cacheControl>Public</cacheControl>\n    <contentType>image/png</contentType>\n</StaticResource>\n');
    const resource = (bytes: Buffer) => ({ type: 'StaticResource', fullName: name, files: { [`staticresources/${name}.resource`]: bytes.toString('base64'), [`staticresources/${name}.resource-meta.xml`]: meta } });
    const later = new Date(Date.now() + 180_000);
    uat.store.commitMetadata([resource(png(100))], [], uat.admin.id, later);
    prod.store.commitMetadata([resource(png(200))], [], prod.admin.id, later);
    // The project has UAT's image, in source format (SDR names it after its content type).
    const dir = path.join(testWorkspace(), 'force-app', 'main', 'default', 'staticresources');
    const localFile = path.join(dir, `${name}.png`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(localFile, png(100));
    fs.writeFileSync(path.join(dir, `${name}.resource-meta.xml`), text(meta));
    const prompts = new ScriptedPrompts();
    prompts.install(api);
    try {
      const result = await compare({ source: 'UAT', target: 'Production', types: TYPES });
      assert.equal(result!.items.find((i) => i.type === 'StaticResource' && i.fullName === name)?.status, 'different');
      const panel = api.compare.panels.get('UAT', 'Production')!;
      await panel.handleMessage({ type: 'openDiff', ref: { type: 'StaticResource', fullName: name } });
      // The compare works on the orgs' metadata format, where the body is X.resource.
      assert.deepEqual(prompts.said, [`${name}.resource is a binary file (112 bytes in UAT, 212 bytes in Production): it differs, and cannot be shown as text.`]);
      assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label.startsWith(`${name}.`))), 'no diff of bytes opened');

      prompts.clear();
      const same = await vscode.commands.executeCommand<LocalDiffSummary>('changeline.diffWithEnvironment', vscode.Uri.file(localFile), 'UAT');
      assert.deepEqual(same.identical, [`main/default/staticresources/${name}.png`]);
      assert.equal(same.opened, undefined);
      assert.deepEqual(prompts.said, [`${name}.png is a binary file: it is the same in UAT, and cannot be shown as text.`]);
      prompts.clear();
      const differs = await vscode.commands.executeCommand<LocalDiffSummary>('changeline.diffWithEnvironment', vscode.Uri.file(localFile), 'Production');
      assert.deepEqual(differs.differing, [`main/default/staticresources/${name}.png`]);
      assert.deepEqual(prompts.said, [`${name}.png is a binary file: it differs in Production, and cannot be shown as text.`]);
    } finally {
      prompts.restore(api);
      fs.rmSync(dir, { recursive: true, force: true });
      uat.store.commitMetadata([], [{ type: 'StaticResource', fullName: name }], uat.admin.id);
      prod.store.commitMetadata([], [{ type: 'StaticResource', fullName: name }], prod.admin.id);
    }
  });
});

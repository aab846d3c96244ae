import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testOrg } from './index';
import { changeline, label, pipelineUri, readText, treeItems, waitFor, writeText } from './support';

describe('Environments tree', () => {
  let original: string;

  before(async () => {
    original = await readText(pipelineUri());
  });

  afterEach(async () => {
    const api = await changeline();
    if ((await readText(pipelineUri())) !== original) {
      await writeText(pipelineUri(), original);
      await api.model.reload();
    }
  });

  it('shows the fixture pipeline in order with role icons', async () => {
    const api = await changeline();
    const items = treeItems(api);
    assert.deepEqual(items.map(label), ['Dev', 'UAT', 'Production']);
    assert.deepEqual(
      items.map((i) => (i.iconPath as vscode.ThemeIcon).id.replace('loading~spin', 'checking')),
      items.map((i) => (i.description as string).includes('checking') ? 'checking' : ({ Dev: 'beaker', UAT: 'server-environment', Production: 'globe' } as Record<string, string>)[label(i)]),
    );
    assert.ok(items.every((i) => i.contextValue?.startsWith('environment')));
    // Menus offer "Send to Production…" on UAT (its next stage), "Send to Next Environment…" on Dev, nothing on Production.
    const ctxOf = (name: string) => items.find((i) => label(i) === name)?.contextValue ?? '';
    assert.match(ctxOf('UAT'), /^environment(\.\w+)?\.toProduction$/);
    assert.doesNotMatch(ctxOf('Dev'), /toProduction/);
    assert.doesNotMatch(ctxOf('Production'), /toProduction/);
  });

  it('describes each environment with its username and connection state, details in the tooltip', async () => {
    const api = await changeline();
    // Refresh forgets connection states cached by earlier tests; the tree checks again as it renders.
    await vscode.commands.executeCommand('changeline.refresh');
    treeItems(api); // the view asks for children: background checks start
    const dev = await waitFor('Dev to be checked', () => {
      const item = treeItems(api).find((i) => label(i) === 'Dev');
      return item && /connected|expired|unreachable|not authorized|error/.test(String(item.description)) ? item : undefined;
    }, 45_000);
    assert.equal(dev.description, `${testOrg('dev').username} · connected`);
    assert.equal(dev.contextValue, 'environment.connected');
    const tooltip = (dev.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes(testOrg('dev').orgId), tooltip);
    assert.match(tooltip, /API version: 62\.0/);
    assert.match(tooltip, /Type: .*Sandbox/i);
  });

  it('refreshes when the pipeline file is saved', async () => {
    const api = await changeline();
    const doc = await vscode.workspace.openTextDocument(pipelineUri());
    // Other suites rewrite the file on disk; reload the open document from disk first, as VS Code
    // would refuse to save over a file that changed since it was read.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const edit = new vscode.WorkspaceEdit();
    const text = doc.getText().replace('"name": "UAT"', '"name": "QA"').replace('"next": "UAT"', '"next": "QA"').replace('"to": "UAT"', '"to": "QA"');
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const changed = new Promise<void>((resolve) => {
      const sub = api.provider.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    assert.ok(await doc.save());
    await changed;
    await waitFor('the renamed environment', () => treeItems(api).map(label).join() === 'Dev,QA,Production');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a saved pipeline file that points an environment at another org refreshes that row and its session', async () => {
    const api = await changeline();
    const uat = testOrg('uat').username;
    // The connection part of a row's description (a "· N behind UAT" another suite's deploys left is not this test's).
    const row = (name: string) => String(treeItems(api).find((i) => label(i) === name)?.description ?? '').replace(/ · \d+ behind .+$/, '');
    await Promise.all([api.model.checkEnvironment('UAT'), api.model.checkEnvironment('Dev')]);
    await waitFor('UAT connected', () => row('UAT') === `${uat} · connected`, 45_000);
    const session = await api.sessions.get('UAT');
    assert.equal(session.username, uat);

    const doc = await vscode.workspace.openTextDocument(pipelineUri());
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    const saveWith = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await doc.save());
    };
    const good = doc.getText();
    assert.ok(good.includes('"org": "uat"'), good);
    // An alias nobody authorized: the row says so (as the Problems panel does), not "connected".
    await saveWith(good.replace('"org": "uat"', '"org": "uat-typo"'));
    await waitFor('UAT not authorized', () => row('UAT') === 'uat-typo · not authorized', 45_000);
    await assert.rejects(api.sessions.get('UAT'), 'the old session to uat is not kept for uat-typo');
    assert.equal(row('Dev'), `${testOrg('dev').username} · connected`, 'rows whose org did not change keep their state');
    // The right alias back: connected again, without Refresh.
    await saveWith(good);
    await waitFor('UAT connected again', () => row('UAT') === `${uat} · connected`, 45_000);
    assert.equal((await api.sessions.get('UAT')).username, uat);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

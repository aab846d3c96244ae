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
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { changeline, label, pipelineUri, readText, treeItems, waitFor, writeText } from './support';

const BROKEN = `{
  "version": 1,
  "environments": [
    { "name": "Dev", "org": "dev", "role": "development", "next": "QA" },
    { "name": "Dev", "org": "uat", "role": "staging", "next": "Production" },
    { "name": "Production", "org": "prod", "role": "boss" }
  ]
}
`;

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Changeline');
}

describe('pipeline file problems', () => {
  let original: string;

  before(async () => {
    original = await readText(pipelineUri());
  });

  after(async () => {
    const api = await changeline();
    await writeText(pipelineUri(), original);
    await api.model.reload();
    await waitFor('diagnostics to clear', () => ours(pipelineUri()).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length === 0);
  });

  it('reports each problem of a malformed file in the Problems panel, at its place', async () => {
    const api = await changeline();
    await writeText(pipelineUri(), BROKEN);
    await api.model.reload();
    const diags = await waitFor('diagnostics', () => {
      const d = ours(pipelineUri());
      return d.length >= 3 ? d : undefined;
    });
    const byCode = new Map(diags.map((d) => [String(d.code), d]));
    assert.deepEqual([...byCode.keys()].sort(), ['duplicate-name', 'invalid-role', 'unknown-next']);
    assert.equal(byCode.get('unknown-next')!.range.start.line, 3);
    assert.match(byCode.get('unknown-next')!.message, /"QA", which is not an environment/);
    assert.equal(byCode.get('duplicate-name')!.range.start.line, 4);
    assert.equal(byCode.get('invalid-role')!.range.start.line, 5);
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });

  it('replaces the tree with one item explaining why, which opens the file', async () => {
    const api = await changeline();
    const items = treeItems(api);
    assert.equal(items.length, 1);
    assert.equal(label(items[0]), 'Cannot show the pipeline');
    assert.match(String(items[0].description), /^3 problems: /);
    assert.equal(items[0].command?.command, 'changeline.openPipeline');
    await vscode.commands.executeCommand(items[0].command!.command, ...(items[0].command!.arguments ?? []));
    const editor = await waitFor('the pipeline file editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.toString(), pipelineUri().toString());
    assert.equal(editor.selection.active.line, 3, 'the cursor is on the first problem');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('reports JSON syntax errors', async () => {
    const api = await changeline();
    await writeText(pipelineUri(), '{ "version": 1, "environments": [ }');
    await api.model.reload();
    const [d] = await waitFor('a syntax diagnostic', () => {
      const list = ours(pipelineUri()).filter((x) => x.code === 'syntax');
      return list.length ? list : undefined;
    });
    assert.match(d.message, /JSON syntax error/);
  });
});

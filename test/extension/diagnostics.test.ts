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

const CYCLE = `{
  "version": 1,
  "environments": [
    { "name": "Dev", "org": "dev", "role": "development", "next": "UAT" },
    { "name": "UAT", "org": "uat", "role": "staging", "next": "Production" },
    { "name": "Production", "org": "prod", "role": "production", "next": "Dev" }
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
    assert.match(String(items[0].description), /^3 errors: /);
    assert.equal(items[0].command?.command, 'changeline.openPipeline');
    await vscode.commands.executeCommand(items[0].command!.command, ...(items[0].command!.arguments ?? []));
    const editor = await waitFor('the pipeline file editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.toString(), pipelineUri().toString());
    assert.equal(editor.selection.active.line, 3, 'the cursor is on the first problem');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('counts a cycle\'s problems as the Problems panel lists them (errors and warnings)', async () => {
    const api = await changeline();
    // Production's "next" closes the loop: three cycle errors, and a warning that production has a "next".
    await writeText(pipelineUri(), CYCLE);
    await api.model.reload();
    const diags = await waitFor('the cycle diagnostics', () => {
      const d = ours(pipelineUri());
      return d.some((x) => x.code === 'cycle') ? d : undefined;
    });
    const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    assert.deepEqual([errors, warnings], [3, 1], diags.map((d) => `${d.code}: ${d.message}`).join('\n'));
    const [item] = treeItems(api);
    assert.match(String(item.description), /^3 errors, 1 warning: "next" forms a cycle/);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.equal(tooltip.split('\n').filter((l) => l.startsWith('- ')).length, diags.length, `the tooltip lists every problem: ${tooltip}`);
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

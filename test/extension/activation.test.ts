import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changeline, EXTENSION_ID } from './support';

describe('activation', () => {
  it('activates in the fixture workspace without loading the Salesforce libraries', async () => {
    const api = await changeline();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs > 0);
    assert.equal(api.salesforceLoadedAtActivation, false, 'activate() must not load @salesforce/core or SDR');
    console.log(`    activation took ${api.activationMs.toFixed(1)} ms`);
    // `npm run bench` (bench/activation.bench.ts) reads the figure from beside the results file.
    const results = process.env.CHANGELINE_TEST_RESULTS;
    if (results) fs.writeFileSync(path.join(path.dirname(results), 'activation.json'), JSON.stringify({ activationMs: api.activationMs, salesforceLoadedAtActivation: api.salesforceLoadedAtActivation }));
  });

  it('registers every contributed command, and contributes every registered changeline command', async () => {
    await changeline();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { commands: Array<{ command: string }>; views: Record<string, Array<{ id: string }>> };
    };
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    // VS Code itself registers `<view id>.focus` etc. for each view: those are not ours to contribute.
    const viewIds = Object.values(pkg.contributes.views).flat().map((v) => `${v.id}.`);
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('changeline.') && !viewIds.some((v) => c.startsWith(v)))
      .sort();
    assert.deepEqual(registered, contributed);
  });

  it('contributes the pipeline file schema for editing with completion and errors', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { jsonValidation: Array<{ url: string }> } };
    assert.equal(pkg.contributes.jsonValidation[0].url, './schemas/pipeline.schema.json');
  });
});

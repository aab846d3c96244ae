import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testOrg } from './index';
import { changeline, pipelineUri, readText, treeItems, label, waitFor, writeText } from './support';

describe('pipeline commands', () => {
  let original: string;

  before(async () => {
    original = await readText(pipelineUri());
  });

  afterEach(async () => {
    const api = await changeline();
    await writeText(pipelineUri(), original);
    await api.model.reload();
  });

  it('creates the pipeline file from authorized orgs with guessed roles', async () => {
    const api = await changeline();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('changeline.createPipeline', { orgs: ['dev', 'prod', 'uat'], overwrite: true, open: false });
    assert.equal(uri?.toString(), pipelineUri().toString());
    const file = JSON.parse(await readText(pipelineUri())) as { environments: Array<{ name: string; org: string; role: string; next?: string }> };
    assert.deepEqual(
      file.environments.map((e) => `${e.name}:${e.org}:${e.role}:${e.next ?? ''}`),
      ['Dev:dev:development:UAT', 'UAT:uat:staging:Production', 'Production:prod:production:'],
    );
    assert.deepEqual(treeItems(api).map(label), ['Dev', 'UAT', 'Production']);
  });

  it('adds an environment authorized by access token, and removes it', async () => {
    const api = await changeline();
    const uat = testOrg('uat');
    const env = await vscode.commands.executeCommand<{ name: string } | undefined>('changeline.addEnvironment', {
      accessToken: uat.accessToken,
      instanceUrl: uat.instanceUrl,
      alias: 'uat-again',
      name: 'UAT 2',
      role: 'staging',
    });
    assert.equal(env?.name, 'UAT 2');
    assert.ok(api.model.authorizationFor('uat-again'), 'the new alias is among authorized orgs');
    const text = await readText(pipelineUri());
    assert.ok(!text.includes(uat.accessToken), 'the token is never written to the pipeline file');
    assert.deepEqual(treeItems(api).map(label), ['Dev', 'UAT', 'UAT 2', 'Production']);

    assert.equal(await vscode.commands.executeCommand('changeline.removeEnvironment', 'UAT 2', { confirm: false }), true);
    await waitFor('UAT 2 to disappear', () => treeItems(api).map(label).join() === 'Dev,UAT,Production');
  });

  it('refuses a bad instance URL with a message instead of failing later', async () => {
    const before = await readText(pipelineUri());
    const r = await vscode.commands.executeCommand('changeline.addEnvironment', { accessToken: 'x'.repeat(20), instanceUrl: 'nope', name: 'X', role: 'development' });
    assert.equal(r, undefined);
    assert.equal(await readText(pipelineUri()), before);
  });
});

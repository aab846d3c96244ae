import * as assert from 'node:assert/strict';
import { parsePipeline, type Pipeline } from '../../../src/core/pipeline';
import { parseFromWebview, parseWebviewState } from '../../../src/shared/pipelineProtocol';
import { html } from '../../../src/webviews/pipeline/html';
import { pipelineViewState, type EnvFacts } from '../../../src/webviews/pipeline/present';

function pipeline(text: object): Pipeline {
  const r = parsePipeline(JSON.stringify(text));
  assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
  return r.pipeline;
}

const THREE = pipeline({
  version: 1,
  environments: [
    { name: 'Production', org: 'prod', role: 'production' },
    { name: 'Dev', org: 'dev', role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'uat', role: 'staging', next: 'Production' },
  ],
});

const loading: EnvFacts = { connection: {}, crs: { kind: 'loading' }, queue: { kind: 'loading' }, behind: () => undefined, last: { kind: 'loading' } };

describe('pipeline panel', () => {
  it('accepts exactly the known messages and refuses anything else', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
    assert.deepEqual(parseFromWebview({ type: 'reload', x: 1 }), { ok: true, value: { type: 'reload' } });
    assert.deepEqual(parseFromWebview({ type: 'open', environment: 'UAT', target: 'queue', extra: '<b>' }), { ok: true, value: { type: 'open', environment: 'UAT', target: 'queue' } });
    assert.deepEqual(parseFromWebview({ type: 'open', environment: 'Dev', target: 'behind', upper: 'UAT' }), { ok: true, value: { type: 'open', environment: 'Dev', target: 'behind', upper: 'UAT' } });
    for (const bad of [
      null,
      'ready',
      [],
      { type: 'run', command: 'workbench.action.terminal.new' },
      { type: 'open', environment: 'UAT', target: 'terminal' },
      { type: 'open', environment: '', target: 'crs' },
      { type: 'open', environment: 'x'.repeat(81), target: 'crs' },
      { type: 'open', environment: 'UAT\n', target: 'crs' },
      { type: 'open', environment: 'Dev', target: 'behind' },
      { type: 'open', environment: 7, target: 'last' },
    ]) {
      assert.equal(parseFromWebview(bad).ok, false, JSON.stringify(bad));
    }
    assert.deepEqual(parseWebviewState({ view: 'pipeline' }), { view: 'pipeline' });
    assert.equal(parseWebviewState({ environment: 'UAT', id: 'queue' }), undefined);
    assert.equal(parseWebviewState(undefined), undefined);
  });

  it('loads one script by nonce under a strict policy, with no org data in the HTML', () => {
    const page = html({ cspSource: 'vscode-webview://abc', nonce: 'N0nceN0nceN0nceN0nce', scriptUri: 'vscode-webview://abc/pipeline.js', codiconUri: 'vscode-webview://abc/codicon.css' });
    assert.match(page, /<script nonce="N0nceN0nceN0nceN0nce" src="vscode-webview:\/\/abc\/pipeline.js"><\/script>/);
    assert.equal((page.match(/<script/g) ?? []).length, 1);
    assert.match(page, /default-src 'none'/);
    assert.match(page, /style-src vscode-webview:\/\/abc 'nonce-N0nceN0nceN0nceN0nce'/);
    assert.doesNotMatch(page, /unsafe-inline|unsafe-eval/);
  });

  it('puts the environments in stage columns, lowest first, with the promotion and back-promotion arrows', () => {
    const s = pipelineViewState(THREE, () => loading);
    assert.deepEqual(s.stages.map((st) => st.map((b) => b.name)), [['Dev'], ['UAT'], ['Production']]);
    assert.deepEqual(s.stages.flat().map((b) => [b.name, b.role, b.org, b.stage]), [['Dev', 'development', 'dev', 0], ['UAT', 'staging', 'uat', 1], ['Production', 'production', 'prod', 2]]);
    assert.deepEqual(s.arrows.filter((a) => a.kind === 'promotion').map((a) => `${a.from}→${a.to}`), ['Dev→UAT', 'UAT→Production']);
    assert.deepEqual(s.arrows.filter((a) => a.kind === 'back-promotion').map((a) => `${a.from}→${a.to}`), ['Production→Dev', 'Production→UAT']);
    // Each box says "behind" only against the environment it promotes to; production has none.
    assert.deepEqual(s.stages.flat().map((b) => b.behind.map((x) => x.upper)), [['UAT'], ['Production'], []]);
    assert.equal(s.problem, undefined);
  });

  it('parallel environments of one role share a column', () => {
    const p = pipeline({
      version: 1,
      environments: [
        { name: 'DevA', org: 'a', role: 'development', next: 'UAT' },
        { name: 'DevB', org: 'b', role: 'development', next: 'UAT' },
        { name: 'UAT', org: 'uat', role: 'staging', next: 'Prod' },
        { name: 'Prod', org: 'prod', role: 'production' },
      ],
    });
    assert.deepEqual(pipelineViewState(p, () => loading).stages.map((st) => st.map((b) => b.name)), [['DevA', 'DevB'], ['UAT'], ['Prod']]);
  });

  it('shows "…" for what is being read, the reason for what is unreachable, never waiting', () => {
    const [dev] = pipelineViewState(THREE, () => ({ ...loading, behind: () => ({ kind: 'computing' }) })).stages[0];
    assert.deepEqual([dev.crs.text, dev.queue.text, dev.behind[0].text, dev.last.text], ['… open CRs', '… queued', '… behind UAT', 'Last deployment: …']);
    assert.equal(dev.connection.text, 'Not checked yet');
    const down: EnvFacts = {
      connection: { state: 'unreachable', message: 'getaddrinfo ENOTFOUND uat.example\nstack…' },
      crs: { kind: 'error', message: 'The org could not be reached.' },
      queue: { kind: 'error', message: 'The org could not be reached.' },
      behind: () => ({ kind: 'error', message: 'UAT is not connected.' }),
      last: { kind: 'error', message: 'getaddrinfo ENOTFOUND uat.example' },
    };
    const [d] = pipelineViewState(THREE, () => down).stages[0];
    assert.deepEqual([d.connection.text, d.crs.text, d.queue.text, d.behind[0].text, d.last.text], ['Not connected (unreachable)', 'CRs unreachable', 'Queue unreachable', 'Behind UAT unknown', 'Last deployment unreachable']);
    assert.equal(d.connection.detail, 'getaddrinfo ENOTFOUND uat.example', 'the first line of the error, as the tooltip');
    assert.equal(d.last.detail, 'getaddrinfo ENOTFOUND uat.example');
    assert.ok([d.connection, d.crs, d.queue, d.last].every((p) => p.tone === 'error'));
  });

  it('counts the open change requests, the waiting queue entries, the deployments behind, and names the last deployment with its status', () => {
    const facts = (env: string): EnvFacts =>
      env === 'Dev'
        ? {
            connection: { state: 'connected' },
            crs: { kind: 'ready', statuses: ['Draft', 'Approved', 'Completed', 'Cancelled', 'Deployed'], complete: true },
            queue: { kind: 'ready', waiting: 0, total: 0 },
            behind: () => ({ kind: 'ready', count: 2 }),
            last: { kind: 'ready', deployment: { id: '0AfA000000000001', status: 'Failed', when: '2024-05-02T14:03:00.000Z', who: 'Carol <i>Diaz</i>', label: 'D-0001' } },
          }
        : {
            connection: { state: 'connected' },
            crs: { kind: 'ready', statuses: ['Pending approval'], complete: false },
            queue: { kind: 'ready', waiting: 3, total: 5 },
            behind: () => ({ kind: 'ready', count: 0 }),
            last: { kind: 'ready' },
          };
    const [[dev], [uat], [prod]] = pipelineViewState(THREE, facts).stages;
    assert.equal(dev.crs.text, '3 open CRs', 'Completed and Cancelled are not open');
    assert.equal(uat.crs.text, '1+ open CR', 'still reading pages: at least');
    assert.deepEqual([dev.queue.text, uat.queue.text], ['0 queued', '3 queued']);
    assert.equal(uat.queue.detail, '3 waiting for a release manager, 5 sent here in all.');
    assert.deepEqual([dev.behind[0].text, dev.behind[0].tone, uat.behind[0].text], ['2 behind UAT', 'warning', 'Level with Production']);
    assert.deepEqual([dev.last.text, dev.last.tone, dev.last.deployId], ['Last: Failed · 2024-05-02 14:03 UTC', 'error', '0AfA000000000001']);
    assert.equal(dev.last.detail, 'D-0001: deploy 0AfA000000000001 by Carol <i>Diaz</i>', 'org text stays text (the webview sets textContent)');
    assert.deepEqual([prod.last.text, prod.last.deployId], ['No deployment in the last 30 days', undefined]);
    assert.equal(dev.connection.text, 'Connected');
  });

  it('an org without change tracking has no CRs and no queue to count: said quietly, not as an error', () => {
    const [[dev]] = pipelineViewState(THREE, () => ({ ...loading, crs: { kind: 'missing' }, queue: { kind: 'missing' } })).stages;
    assert.deepEqual([dev.crs.text, dev.crs.tone, dev.queue.text, dev.queue.tone], ['No change tracking', 'muted', 'No queue', 'muted']);
  });

  it('says what to do when there is no pipeline to draw', () => {
    const s = pipelineViewState(undefined, () => loading, 'There is no pipeline file yet.');
    assert.deepEqual(s, { stages: [], arrows: [], problem: 'There is no pipeline file yet.' });
    assert.match(pipelineViewState(undefined, () => loading).problem ?? '', /Create Pipeline File/);
  });
});

import * as assert from 'node:assert/strict';
import { joinHistory } from '../../../src/core/promotion';
import { EMPTY_FILTER, parseFromWebview } from '../../../src/shared/deploymentLogProtocol';
import { html } from '../../../src/webviews/deploymentLog/html';
import { coreFilter, detailsView, logState, MAX_ROWS } from '../../../src/webviews/deploymentLog/present';

const id = (n: number) => `0Af${String(n).padStart(12, '0')}AAA`;

describe('deployment log panel protocol: messages from the webview', () => {
  it('accepts ready, refresh, a filter and a details request, with exactly their known fields', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready', extra: 1 }), { ok: true, value: { type: 'ready' } });
    assert.deepEqual(parseFromWebview({ type: 'refresh' }), { ok: true, value: { type: 'refresh' } });
    assert.deepEqual(parseFromWebview({ type: 'revertLatest', environment: 'Prod' }), { ok: true, value: { type: 'revertLatest' } }, 'the panel reverts in its own environment only');
    assert.deepEqual(parseFromWebview({ type: 'details', id: id(1), more: 'x' }), { ok: true, value: { type: 'details', id: id(1) } });
    assert.deepEqual(parseFromWebview({ type: 'filter', filter: { status: ['failed', 'failed', 'running'], source: 'out-of-band', kind: 'deploys', text: '<b>x</b>', evil: true } }), {
      ok: true,
      value: { type: 'filter', filter: { status: ['failed', 'running'], source: 'out-of-band', kind: 'deploys', text: '<b>x</b>' } },
    });
  });

  it('refuses anything else, saying what is wrong', () => {
    const bad: Array<[unknown, RegExp]> = [
      [null, /not a message/],
      [{ type: 'details', id: "0Af'; DROP" }, /deploy id/],
      [{ type: 'filter', filter: { status: ['exploded'], source: '', kind: '', text: '' } }, /status/],
      [{ type: 'filter', filter: { status: [], source: 'somewhere', kind: '', text: '' } }, /source/],
      [{ type: 'filter', filter: { status: [], source: '', kind: 'all', text: '' } }, /kind/],
      [{ type: 'filter', filter: { status: [], source: '', kind: '', text: 'x'.repeat(201) } }, /text/],
      [{ type: 'run', command: 'rm' }, /unknown message type "run"/],
    ];
    for (const [m, why] of bad) {
      const r = parseFromWebview(m);
      assert.equal(r.ok, false, JSON.stringify(m));
      if (!r.ok) assert.match(r.error, why);
    }
  });
});

describe('deployment log panel presenter', () => {
  const history = joinHistory(
    Array.from({ length: 600 }, (_, i) => ({
      id: id(i),
      status: i % 10 === 0 ? ('Failed' as const) : ('Succeeded' as const),
      checkOnly: i % 7 === 0,
      createdDate: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      createdByName: i === 599 ? '<img src=x onerror=alert(1)>' : 'Ana Ruiz',
      numberComponentsTotal: 2,
      numberTestsTotal: 0,
    })),
    [{ deployIds: [id(599)], label: 'DEP-00001', env: 'Dev', crNumbers: ['CR-00042'], message: 'Tier badge' }],
  );

  it('shows the first rows that match, newest first, with the total and the matching count; org text stays text', () => {
    const s = logState('UAT', history, EMPTY_FILTER, { readAt: '2024-02-01T00:00:00Z', notes: [], selected: id(599).slice(0, 15) });
    assert.equal(s.total, 600);
    assert.equal(s.matching, 600);
    assert.equal(s.rows.length, MAX_ROWS);
    const top = s.rows[0];
    assert.equal(top.id, id(599));
    assert.equal(s.selected, id(599), 'the deployment View Log asked for is selected, by its 15-character id too');
    assert.equal(top.who, '<img src=x onerror=alert(1)>');
    assert.equal(top.record, 'DEP-00001 (Dev)');
    assert.deepEqual(top.crs, ['CR-00042']);
    assert.equal(top.source, 'changeline');
    assert.equal(top.components, '2 components');
    assert.equal(top.tests, 'no tests');
  });

  it('a revert reads as one: "Revert of deploy 0Af…" before the message of what it undid', () => {
    const rows = joinHistory(
      [
        { id: id(1), status: 'Succeeded', checkOnly: false, createdDate: '2024-01-01T10:00:00Z' },
        { id: id(2), status: 'Succeeded', checkOnly: false, createdDate: '2024-01-01T11:00:00Z' },
      ],
      [{ deployIds: [id(1), id(2)], label: 'Q-00001', env: 'UAT', message: 'Tier badge', revert: { id: id(2), of: id(1) } }],
    );
    const s = logState('UAT', rows, EMPTY_FILTER, { readAt: '', notes: [] });
    assert.deepEqual(s.rows.map((r) => r.message), [`Revert of deploy ${id(1)}: Tier badge`, 'Tier badge']);
  });

  it('filters by the webview filter (failed deploys only)', () => {
    const f = { ...EMPTY_FILTER, status: ['failed' as const], kind: 'deploys' as const };
    assert.deepEqual(coreFilter(f), { status: ['failed'], checkOnly: false });
    const s = logState('UAT', history, f, { readAt: '', notes: ['n'] });
    assert.ok(s.rows.every((r) => r.group === 'failed' && !r.checkOnly));
    assert.equal(s.matching, history.filter((d) => d.status === 'Failed' && !d.checkOnly).length);
    assert.deepEqual(s.notes, ['n']);
  });

  it('details: component results, problems and failed tests as text', () => {
    const v = detailsView({
      id: id(1),
      components: [{ type: 'ApexClass', fullName: 'A', state: 'Created' }],
      failures: [{ type: 'ApexClass', fullName: 'B', problem: 'Unexpected token', problemType: 'Error', line: 3 }],
      testFailures: [{ className: 'ATest', methodName: 'works', message: 'boom' }],
      testsRun: 4,
      running: false,
    });
    assert.deepEqual(v.components, [{ type: 'ApexClass', fullName: 'A', state: 'Created' }]);
    assert.deepEqual(v.problems, [{ component: 'ApexClass B', problem: 'Unexpected token', severity: 'Error', line: 3 }]);
    assert.deepEqual(v.testFailures, [{ test: 'ATest.works', message: 'boom', stackTrace: '' }]);
  });

  it('HTML: an empty shell under a strict CSP, the script by nonce, no org data', () => {
    const page = html({ cspSource: 'vscode-webview://abc', nonce: 'N0nceN0nceN0nceN0nce', scriptUri: 'vscode-webview://abc/deploymentLog.js', codiconUri: 'vscode-webview://abc/codicon.css' });
    assert.equal((page.match(/<script/g) ?? []).length, 1);
    assert.match(page, /<script nonce="N0nceN0nceN0nceN0nce" src="vscode-webview:\/\/abc\/deploymentLog.js"><\/script>/);
    assert.match(page, /default-src 'none'/);
    assert.doesNotMatch(page, /unsafe-inline|unsafe-eval/);
    assert.match(page, /data-testid="log-app"/);
  });
});

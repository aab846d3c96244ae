/**
 * Measurement for `npm run bench` (bench/change-requests.bench.ts), skipped in normal test runs:
 * an environment holding CHANGELINE_BENCH_CRS change requests (e.g. 5,000) — time until the tree
 * shows its status groups, until the list is fully paged in, and the longest the extension host
 * was blocked meanwhile (a frozen view would show as a long stall). Writes the figures beside the
 * results file. It checks the list is complete; it asserts no timing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/views/nodes';
import { changeline } from './support';

const COUNT = Number(process.env.CHANGELINE_BENCH_CRS ?? 0);
const RUNS = 3;

(COUNT > 0 ? describe : describe.skip)('bench: change requests in the tree', function () {
  this.timeout(600_000);

  it(`pages CHANGELINE_BENCH_CRS (${COUNT}) change requests into the tree`, async () => {
    const api = await changeline();
    await api.model.loadAuthorizations();
    const sf = await api.salesforce();
    const env = 'Dev';
    const handle = (await api.sessions.get(env)).handle;
    const status = await sf.trackingStatus(handle);
    if (!status.installed || status.upgradeAvailable) await sf.installTracking(handle);
    const statuses = ['Draft', 'Pending approval', 'Approved', 'Rejected', 'Deployed', 'Completed', 'Cancelled'];
    for (let i = 0; i < COUNT; i += 200) {
      const rows = Array.from({ length: Math.min(200, COUNT - i) }, (_, k) => ({
        Title__c: `Bench change ${i + k}`,
        Change_Type__c: 'Other',
        Status__c: statuses[(i + k) % statuses.length],
        Customizations__c: JSON.stringify([{ type: 'ApexClass', fullName: `Bench${i + k}` }]),
        Proposed_Customizations__c: '[]',
        Approvers__c: '',
      }));
      const results = await sf.createRecords(handle, 'Changeline_Change_Request__c', rows, { allOrNone: true });
      assert.ok(results.every((r) => r.success));
    }

    const samples: Array<{ groupsMs: number; pagedMs: number; firstGroupRowsMs: number; maxStallMs: number; total: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      let last = performance.now();
      let maxStallMs = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        maxStallMs = Math.max(maxStallMs, now - last - 5);
        last = now;
      }, 5);
      const t0 = performance.now();
      api.changeRequests.refresh(env);
      api.provider.getChildren();
      const envNode = api.provider.nodeFor(env)!;
      // The tree asks again each time the model says the environment changed: measure when that first yields groups.
      const groups = await new Promise<TreeNode[]>((resolve) => {
        const check = () => {
          const kids = (api.provider.getChildren(envNode) ?? []) as TreeNode[];
          if (!kids.some((k) => k.kind === 'crGroup')) return false;
          sub.dispose();
          resolve(kids);
          return true;
        };
        const sub = api.changeRequests.onDidChange((e) => void (e === env && check()));
        check();
      });
      const groupsMs = performance.now() - t0;
      const firstGroup = groups.find((k) => k.kind === 'crGroup')!;
      const r0 = performance.now();
      const rows = (api.provider.getChildren(firstGroup) ?? []).map((n) => api.provider.getTreeItem(n) as vscode.TreeItem);
      const firstGroupRowsMs = performance.now() - r0;
      assert.ok(rows.length > 0);
      await api.changeRequests.whenLoaded(env);
      const pagedMs = performance.now() - t0;
      clearInterval(timer);
      const state = api.changeRequests.state(env);
      assert.ok(state.kind === 'ready' && state.complete && state.items.length === state.total && state.total >= COUNT);
      const shown = api.changeRequests.groups(env).reduce((n, g) => n + g.items.length, 0);
      assert.equal(shown, state.total, 'every CR is in a group');
      samples.push({ groupsMs, pagedMs, firstGroupRowsMs, maxStallMs, total: state.total });
      console.log(`    run ${run + 1}: groups after ${groupsMs.toFixed(0)} ms, ${state.total} CRs paged in after ${pagedMs.toFixed(0)} ms, longest stall ${maxStallMs.toFixed(0)} ms`);
    }

    // Opening a CR's panel in that environment: until the webview has drawn the CR (it asks for the
    // org's metadata types once it has rendered the state).
    const panelOpenMs: number[] = [];
    const panelSteps: Array<{ readFromOrgMs: number; scriptReadyMs: number }> = [];
    const items = api.changeRequests.state(env);
    assert.ok(items.kind === 'ready');
    for (let run = 0; run < RUNS; run++) {
      // Each CR opens in a tab of its own, the earlier ones staying open (in code-server, a panel
      // opened right after another was closed waits ~30 s for VS Code web's webview service worker:
      // its resource requests time out, which this bench would otherwise measure).
      const cr = items.items[(run + 1) * 997 % items.items.length];
      const t0 = performance.now();
      await vscode.commands.executeCommand('changeline.openChangeRequest', { environment: env, id: cr.id });
      const panel = api.changeRequestPanels.get(env, cr.id!)!;
      let loadedMs = 0;
      let readyMs = 0;
      await new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 60_000;
        const tick = () => {
          if (!loadedMs && panel.lastState()?.cr.number === cr.number) loadedMs = performance.now() - t0;
          if (!readyMs && panel.fromWebview.includes('ready')) readyMs = performance.now() - t0;
          if (panel.lastState()?.cr.number === cr.number && panel.fromWebview.includes('listTypes')) resolve();
          else if (Date.now() > deadline) reject(new Error('the panel did not render the change request'));
          else setTimeout(tick, 2);
        };
        tick();
      });
      panelOpenMs.push(performance.now() - t0);
      panelSteps.push({ readFromOrgMs: loadedMs, scriptReadyMs: readyMs });
      console.log(`    panel ${run + 1}: ${cr.number} read from the org after ${loadedMs.toFixed(0)} ms, webview script ready after ${readyMs.toFixed(0)} ms, drawn after ${panelOpenMs.at(-1)!.toFixed(0)} ms`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const results = process.env.CHANGELINE_TEST_RESULTS;
    if (results) fs.writeFileSync(path.join(path.dirname(results), 'change-requests.json'), JSON.stringify({ count: COUNT, samples, panelOpenMs, panelSteps }));
  });
});

import * as assert from 'node:assert/strict';
import { append } from '../../../src/core/audit/chain';
import { allowedActions, type DeploymentHistoryEntry, type DeploymentRecord } from '../../../src/core/deployments';
import type { DeployResult } from '../../../src/core/metadata-types';
import type { Environment } from '../../../src/core/pipeline';
import { actionViews, matchTargetPath, panelState, panelTitle, type StateInput } from '../../../src/webviews/deployment/present';

const ADA = '005000000000001AAA';
const RAE = '005000000000002AAA';
const users = [
  { id: ADA, name: 'Ada Admin' },
  { id: RAE, name: 'Rae Reviewer' },
];
const UAT: Environment = { name: 'UAT', org: 'uat', role: 'staging', testLevel: 'RunLocalTests' };
const NOW = new Date('2026-12-06T12:00:00Z');

function record(over: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'a0B000000000001AAA',
    number: 'DEP-00001',
    crId: 'a0A000000000001AAA',
    crNumber: 'CR-00007',
    sourceEnvironment: 'Dev',
    targetEnvironment: 'UAT',
    status: 'Draft',
    components: [
      { type: 'ApexClass', fullName: 'Greeter' },
      { type: 'ApexClass', fullName: 'GreeterTest' },
    ],
    runTests: [],
    approvers: [RAE],
    createdBy: ADA,
    ...over,
  };
}

function history(): DeploymentHistoryEntry[] {
  return append<DeploymentHistoryEntry['action'], DeploymentHistoryEntry['details']>(
    [],
    [
      { action: 'created', actorId: ADA, at: '2026-12-06T10:00:00Z', details: { source: 'Dev', target: 'UAT', crNumber: 'CR-00007' } },
      { action: 'status', actorId: ADA, at: '2026-12-06T10:05:00Z', details: { changes: [{ field: 'status', label: 'Status', old: 'Draft', new: 'Pending approval' }] } },
      { action: 'approved', actorId: RAE, at: '2026-12-06T10:10:00Z', details: { comment: 'Ready for <b>UAT</b>', changes: [{ field: 'status', label: 'Status', old: 'Pending approval', new: 'Approved' }] } },
    ],
  ) as DeploymentHistoryEntry[];
}

function input(d: DeploymentRecord, me = ADA, over: Partial<StateInput> = {}): StateInput {
  return {
    environment: 'Dev',
    record: d,
    history: history(),
    users,
    me: { userId: me, name: users.find((u) => u.id === me)!.name },
    actions: allowedActions(d, { actor: { userId: me }, now: NOW, target: UAT }),
    target: UAT,
    ...over,
  };
}

function result(over: Partial<DeployResult> = {}): DeployResult {
  return {
    id: '0Af000000000001AAA',
    success: false,
    checkOnly: true,
    canceled: false,
    status: 'Failed',
    componentsDone: 2,
    componentsTotal: 2,
    componentErrors: 0,
    testsDone: 2,
    testsTotal: 2,
    testErrors: 1,
    successes: [],
    failures: [],
    tests: { run: 2, failures: [{ className: 'GreeterTest', methodName: 'greets', message: 'System.AssertException: <script>x</script>', stackTrace: 'Class.GreeterTest.greets: line 4, column 1' }] },
    coverage: [],
    coverageWarnings: [],
    ...over,
  };
}

describe('deployment panel presenter', () => {
  it('header: number, CR, source → target, status, the test level with where it comes from, people by name', () => {
    const s = panelState(input(record()));
    assert.deepEqual(s.header, {
      number: 'DEP-00001',
      crNumber: 'CR-00007',
      source: 'Dev',
      target: 'UAT',
      status: 'Draft',
      testLevel: "RunLocalTests (UAT's default)",
      runTests: [],
      createdBy: 'Ada Admin',
      approvers: ['Rae Reviewer'],
    });
    assert.equal(panelState(input(record({ testLevel: 'RunSpecifiedTests', runTests: ['GreeterTest'] }))).header.testLevel, 'RunSpecifiedTests');
    assert.equal(panelTitle(record()), 'DEP-00001 · CR-00007 → UAT');
  });

  it('buttons follow the core: a draft can be submitted by its creator; approve is disabled with the reason as its tooltip', () => {
    const s = panelState(input(record()));
    assert.deepEqual(
      s.actions.map((a) => [a.testId, a.allowed]),
      [
        ['dep-submit', true],
        ['dep-approve', false],
        ['dep-reject', false],
        ['dep-retrieve', false],
        ['dep-dependencies', false],
        ['dep-add-dependencies', false],
        ['dep-validate', false],
        ['dep-quick-deploy', false],
        ['dep-deploy', false],
        ['dep-complete', false],
        ['dep-revert', false],
      ],
    );
    assert.match(s.actions.find((a) => a.action === 'approve')!.reason!, /only a deployment pending approval can be approved/);
    assert.match(s.actions.find((a) => a.action === 'retrieve')!.reason!, /Submit DEP-00001 and have it approved/);
  });

  it('pending approval: the approver may approve or reject, the submitter may not approve their own', () => {
    const pending = record({ status: 'Pending approval', submittedBy: ADA });
    const forRae = panelState(input(pending, RAE)).actions;
    assert.equal(forRae.find((a) => a.action === 'approve')!.allowed, true);
    assert.equal(forRae.find((a) => a.action === 'reject')!.allowed, true);
    const forAda = panelState(input(pending, ADA)).actions;
    assert.equal(forAda.find((a) => a.action === 'approve')!.allowed, false);
    assert.ok(forAda.find((a) => a.action === 'approve')!.reason);
  });

  it('approved with a package: retrieve, check, validate and deploy are offered; quick deploy says to validate first', () => {
    const d = record({ status: 'Approved', package: { fileId: '069000000000001AAA', retrievedAt: '2026-12-06T11:00:00Z', retrievedBy: ADA, componentCount: 2 } });
    const a = actionViews(allowedActions(d, { actor: { userId: ADA }, now: NOW, target: UAT }));
    assert.deepEqual(a.filter((x) => x.allowed).map((x) => x.action), ['retrieve', 'checkDependencies', 'validate', 'deploy']);
    assert.match(a.find((x) => x.action === 'quickDeploy')!.reason!, /Validate DEP-00001 first/);
    assert.match(a.find((x) => x.action === 'retrieve')!.note!, /replaces the package/);
  });

  it('components: proposed customizations and components without a package file are marked', () => {
    const d = record({ status: 'Approved', package: { fileId: '069000000000001AAA', retrievedAt: '2026-12-06T11:00:00Z', retrievedBy: ADA, componentCount: 2 }, components: [...record().components, { type: 'Flow', fullName: 'Onboarding' }] });
    const s = panelState(
      input(d, ADA, {
        proposed: [{ type: 'Flow', fullName: 'Onboarding' }],
        pkg: {
          files: [
            { path: 'unpackaged/classes/Greeter.cls', size: 120, ref: { type: 'ApexClass', fullName: 'Greeter' }, text: true },
            { path: 'unpackaged/classes/Greeter.cls-meta.xml', size: 80, ref: { type: 'ApexClass', fullName: 'Greeter' }, text: true },
            { path: 'unpackaged/package.xml', size: 300, text: true },
          ],
          changed: [],
        },
      }),
    );
    assert.deepEqual(
      s.components.map((c) => [c.fullName, c.marker]),
      [
        ['Greeter', undefined],
        ['GreeterTest', 'missing'],
        ['Onboarding', 'proposed'],
      ],
    );
    assert.equal(s.package?.fileCount, 3);
    assert.equal(s.package?.retrievedBy, 'Ada Admin');
    assert.deepEqual(
      s.package?.files.map((f) => [f.path, f.component, f.diffable]),
      [
        ['unpackaged/classes/Greeter.cls', 'ApexClass Greeter', true],
        ['unpackaged/classes/Greeter.cls-meta.xml', 'ApexClass Greeter', true],
        ['unpackaged/package.xml', undefined, false],
      ],
    );
  });

  it('a package that could not be read says why; the components are not marked missing then', () => {
    const d = record({ status: 'Approved', package: { fileId: '069000000000001AAA', retrievedAt: '2026-12-06T11:00:00Z', componentCount: 2 } });
    const s = panelState(input(d, ADA, { pkg: { problem: 'The package could not be read from Dev: not found' } }));
    assert.equal(s.package?.problem, 'The package could not be read from Dev: not found');
    assert.equal(s.package?.fileCount, undefined);
    assert.ok(s.components.every((c) => c.marker === undefined));
  });

  it('validation: status, tests n/N, coverage per class and org-wide with the 75% rule explained; failures and stacks from this window’s run', () => {
    const validation = {
      id: '0Af000000000001AAA',
      startedAt: '2026-12-06T11:10:00Z',
      completedAt: '2026-12-06T11:12:00Z',
      by: ADA,
      checkOnly: true,
      status: 'Failed' as const,
      success: false,
      testLevel: 'RunLocalTests' as const,
      testsRun: 2,
      testsFailed: 1,
      coverage: {
        classes: [
          { name: 'Greeter', type: 'Class', linesTotal: 10, linesNotCovered: 5, percent: 50 },
          { name: 'Helper', type: 'Class', linesTotal: 10, linesNotCovered: 0, percent: 100 },
        ],
      },
    };
    const d = record({ status: 'Approved', validation });
    const plain = panelState(input(d)).validation!;
    assert.equal(plain.status, 'Failed');
    assert.deepEqual(plain.tests, { run: 2, failed: 1 });
    assert.deepEqual(plain.testFailures, [], 'the record keeps counts only');
    assert.equal(plain.coverage?.orgWide, '75%');
    assert.equal(plain.coverage?.ok, true);

    const low = record({ status: 'Approved', validation: { ...validation, coverage: { classes: [{ name: 'Greeter', type: 'Class', linesTotal: 10, linesNotCovered: 6, percent: 40 }] } } });
    const cov = panelState(input(low)).validation!.coverage!;
    assert.equal(cov.ok, false);
    assert.match(cov.explanation!, /Org-wide coverage is 40%, under the 75% Salesforce requires with RunLocalTests.*Greeter \(40%\)/);
    assert.deepEqual(cov.rows, [{ name: 'Greeter', type: 'Class', percent: '40%', failing: true }]);

    const withRun = panelState(input(d, ADA, { lastRun: { kind: 'validation', result: result() } })).validation!;
    assert.deepEqual(withRun.testFailures, [{ test: 'GreeterTest.greets', message: 'System.AssertException: <script>x</script>', stack: 'Class.GreeterTest.greets: line 4, column 1' }]);
    assert.deepEqual(withRun.components, { done: 2, total: 2, errors: 0 });
    const otherRun = panelState(input(d, ADA, { lastRun: { kind: 'validation', result: result({ id: '0Af000000000002AAA' }) } })).validation!;
    assert.deepEqual(otherRun.testFailures, [], "another run's failures are not shown as this one's");
  });

  it('deploy: status, components n/N, quick deploy of which validation; component errors with file, line and column', () => {
    const d = record({
      status: 'Failed',
      deploy: { id: '0Af000000000009AAA', startedAt: '2026-12-06T11:20:00Z', completedAt: '2026-12-06T11:21:00Z', by: RAE, status: 'Failed', componentsDeployed: 1, componentErrors: 1, testLevel: 'RunLocalTests' },
    });
    const fail = result({ id: '0Af000000000009AAA', checkOnly: false, failures: [{ type: 'ApexClass', fullName: 'Greeter', problem: 'Unexpected token', problemType: 'Error', filePath: 'classes/Greeter.cls', line: 3, column: 7 }] });
    const s = panelState(input(d, ADA, { lastRun: { kind: 'deploy', result: fail } })).deploy!;
    assert.equal(s.by, 'Rae Reviewer');
    assert.equal(s.success, false);
    assert.deepEqual(s.componentFailures, [{ component: 'ApexClass Greeter', problem: 'Unexpected token', where: 'classes/Greeter.cls:3:7' }]);
  });

  it('history: names, fact and change lines, the comment as given, and the first entry whose seal does not match', () => {
    const s = panelState(input(record()));
    assert.deepEqual(
      s.history.map((h) => [h.who, h.action, h.lines]),
      [
        ['Ada Admin', 'created', ['From Dev to UAT (CR-00007)']],
        ['Ada Admin', 'status', ['Status: Draft → Pending approval']],
        ['Rae Reviewer', 'approved', ['Status: Pending approval → Approved']],
      ],
    );
    assert.equal(s.history[2]!.comment, 'Ready for <b>UAT</b>', 'kept as text, not markup');
    assert.equal(s.tamperedEntry, undefined);
    const h = history();
    h[1] = { ...h[1]!, actorId: RAE };
    const t = panelState(input(record(), ADA, { history: h }));
    assert.equal(t.tamperedEntry, 2);
    assert.equal(t.history[1]!.tampered, true);
  });

  it('hostile names from the org stay text in the view model', () => {
    const evil = '<img src=x onerror="alert(1)">';
    const s = panelState(input(record({ components: [{ type: 'ApexClass', fullName: evil }], crNumber: `CR-1 ${evil}` })));
    assert.equal(s.components[0]!.fullName, evil);
    assert.equal(s.header.crNumber, `CR-1 ${evil}`);
  });

  it("matches a package file to the target's file of the same component", () => {
    const target = ['classes/Greeter.cls', 'classes/Greeter.cls-meta.xml'];
    assert.equal(matchTargetPath('unpackaged/classes/Greeter.cls', target), 'classes/Greeter.cls');
    assert.equal(matchTargetPath('unpackaged/classes/Greeter.cls-meta.xml', target), 'classes/Greeter.cls-meta.xml');
    assert.equal(matchTargetPath('classes/Greeter.cls', target), 'classes/Greeter.cls');
    assert.equal(matchTargetPath('pkg/lwc/hello/hello.js', ['lwc/hello/hello.js', 'lwc/hello/hello.html']), 'lwc/hello/hello.js');
    assert.equal(matchTargetPath('unpackaged/classes/Other.cls', target), undefined, 'a component the target does not have');
  });
});

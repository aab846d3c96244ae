import * as assert from 'node:assert/strict';
import { cancelRun, finishStep, nextStep, planBackPromotion, runSummary, startRun, type BackPromotionRun } from '../../../src/core/back-deploy';
import { PARALLEL, pipeline, refused, THREE } from '../promotion/fixtures';

const arrows = (steps: Array<{ from: string; to: string }>) => steps.map((s) => `${s.from}→${s.to}`);

/** Runs the plan, failing the steps named in `fail`. */
function run(plan: ReturnType<typeof planBackPromotion>, fail: string[] = []): { run: BackPromotionRun; ran: string[] } {
  let r = startRun(plan);
  const ran: string[] = [];
  for (let n = nextStep(r); n; n = nextStep(r)) {
    ran.push(`${n.step.from}→${n.step.to}`);
    r = finishStep(n.run, n.index, fail.includes(n.step.to) ? { ok: false, error: `Deploy to ${n.step.to} failed: Greeter does not compile.` } : { ok: true, detail: 'deployed' });
  }
  return { run: r, ran };
}

describe('back-deploy: back-promotion pipeline', () => {
  it('Production → UAT → Dev1/Dev2: reverse pipeline order, one step per connection, sandboxes last', () => {
    const plan = planBackPromotion(PARALLEL());
    assert.ok(plan.verdict.ok);
    assert.deepEqual(arrows(plan.steps), ['Production→UAT', 'UAT→Dev1', 'UAT→Dev2']);
    assert.deepEqual(plan.steps.map((s) => s.sandbox), [false, true, true]);
  });

  it('brings one sandbox level, with the environments above it', () => {
    assert.deepEqual(arrows(planBackPromotion(PARALLEL(), { include: ['Dev2'] }).steps), ['Production→UAT', 'UAT→Dev2']);
    assert.deepEqual(arrows(planBackPromotion(PARALLEL(), { include: ['UAT'] }).steps), ['Production→UAT']);
  });

  it('brings the sandboxes level from the last shared environment only', () => {
    assert.deepEqual(arrows(planBackPromotion(PARALLEL(), { from: 'UAT' }).steps), ['UAT→Dev1', 'UAT→Dev2']);
  });

  it('walks longer pipelines one stage at a time', () => {
    const p = pipeline([
      { name: 'Dev', role: 'development', next: 'QA' },
      { name: 'QA', role: 'integration', next: 'UAT' },
      { name: 'UAT', role: 'staging', next: 'Production' },
      { name: 'Production', role: 'production' },
    ]);
    assert.deepEqual(arrows(planBackPromotion(p).steps), ['Production→UAT', 'UAT→QA', 'QA→Dev']);
    assert.equal(planBackPromotion(THREE()).steps.every((s) => !s.sandbox), true);
  });

  it('leaves out environments the pipeline does not connect, and says which', () => {
    const p = pipeline([
      { name: 'Dev', role: 'development', next: 'UAT' },
      { name: 'Training', role: 'development' },
      { name: 'UAT', role: 'staging', next: 'Production' },
      { name: 'Production', role: 'production' },
    ]);
    const plan = planBackPromotion(p);
    assert.deepEqual(arrows(plan.steps), ['Production→UAT', 'UAT→Dev']);
    assert.deepEqual(plan.notConnected, ['Training']);
    refused(planBackPromotion(p, { include: ['Training'] }).verdict, /Training is not below Production in the pipeline/);
  });

  it('refuses unknown names and the top itself', () => {
    refused(planBackPromotion(PARALLEL(), { include: ['Dev3'] }).verdict, /"Dev3" is not an environment of the pipeline/);
    refused(planBackPromotion(PARALLEL(), { include: ['Production'] }).verdict, /Production is where this back-promotion starts/);
  });

  it('runs every step in order when all succeed', () => {
    const { run: r, ran } = run(planBackPromotion(PARALLEL()));
    assert.deepEqual(ran, ['Production→UAT', 'UAT→Dev1', 'UAT→Dev2']);
    assert.equal(r.state, 'succeeded');
    assert.equal(runSummary(r), 'Back-promotion done: Production → UAT, UAT → Dev1, UAT → Dev2.');
  });

  it('stops at the first failure and says where', () => {
    const { run: r, ran } = run(planBackPromotion(PARALLEL()), ['UAT']);
    assert.deepEqual(ran, ['Production→UAT']);
    assert.equal(r.state, 'failed');
    assert.deepEqual(r.steps.map((s) => s.status), ['failed', 'not-run', 'not-run']);
    assert.equal(runSummary(r), 'Back-promotion stopped at Production → UAT: Deploy to UAT failed: Greeter does not compile. Nothing was done. Not run: UAT → Dev1, UAT → Dev2.');
    const mid = run(planBackPromotion(PARALLEL()), ['Dev1']);
    assert.equal(runSummary(mid.run), 'Back-promotion stopped at UAT → Dev1: Deploy to Dev1 failed: Greeter does not compile. Done: Production → UAT. Not run: UAT → Dev2.');
  });

  it('one step at a time; cancel stops the running step and the rest', () => {
    let r = startRun(planBackPromotion(PARALLEL()));
    const first = nextStep(r)!;
    assert.equal(nextStep(first.run), undefined);
    r = cancelRun(first.run);
    assert.equal(r.state, 'cancelled');
    assert.equal(runSummary(r), 'Back-promotion cancelled during Production → UAT. Nothing was done. Not run: UAT → Dev1, UAT → Dev2.');
    assert.throws(() => finishStep(r, 0, { ok: true }), /not running/);
  });
});

import * as assert from 'node:assert/strict';
import { addEnvironmentToText, draftPipeline, guessRole, parsePipeline, removeEnvironmentFromText, serializePipeline } from '../../../src/core/pipeline';
import type { OrgAuthorization } from '../../../src/core/orgs';
import { TaskPool } from '../../../src/core/pool';

function org(alias: string, isSandbox?: boolean): OrgAuthorization {
  return { username: `admin@${alias}.example.com`, aliases: [alias], instanceUrl: `https://${alias}.my.salesforce.com`, orgId: '00D000000000001AAA', isSandbox };
}

describe('pipeline drafts and edits', () => {
  it('guesses roles from names', () => {
    assert.equal(guessRole('prod'), 'production');
    assert.equal(guessRole('acme-production'), 'production');
    assert.equal(guessRole('uat'), 'staging');
    assert.equal(guessRole('preprod'), 'staging');
    assert.equal(guessRole('staging'), 'staging');
    assert.equal(guessRole('qa'), 'integration');
    assert.equal(guessRole('dev'), 'development');
    assert.equal(guessRole('jdoe-sandbox', true), 'development');
    assert.equal(guessRole('acme', false), 'production');
  });

  it('drafts a valid pipeline from authorized orgs, ordered, with next links and one production', () => {
    const file = draftPipeline([org('prod', false), org('dev', true), org('uat', true), org('prod2', false)]);
    const r = parsePipeline(serializePipeline(file), { authorizations: [org('prod'), org('dev'), org('uat'), org('prod2')] });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.pipeline!.environments.map((e) => `${e.name}:${e.org}:${e.role}:${e.next ?? ''}`),
      ['Dev:dev:development:UAT', 'UAT:uat:staging:Production', 'Prod2:prod2:staging:Production', 'Production:prod:production:'],
    );
  });

  it('adds an environment keeping the rest of the file as written', () => {
    const text = '{\n  "version": 1,\n  "environments": [\n    {"name": "Production", "org": "prod", "role": "production"}\n  ]\n}\n';
    const out = addEnvironmentToText(text, { name: 'UAT', org: 'uat', role: 'staging', next: 'Production' });
    assert.ok(out.includes('{"name": "Production", "org": "prod", "role": "production"}'));
    assert.deepEqual(parsePipeline(out).pipeline!.environments.map((e) => e.name), ['UAT', 'Production']);
    assert.deepEqual(parsePipeline(addEnvironmentToText('', { name: 'Dev', org: 'dev', role: 'development' })).diagnostics, []);
  });

  it('removes an environment, relinking next and dropping its connections', () => {
    const text = serializePipeline({
      version: 1,
      environments: [
        { name: 'Dev', org: 'dev', role: 'development', next: 'UAT' },
        { name: 'UAT', org: 'uat', role: 'staging', next: 'Production' },
        { name: 'Production', org: 'prod', role: 'production' },
      ],
      connections: [{ from: 'Dev', to: 'UAT' }],
    });
    const r = parsePipeline(removeEnvironmentFromText(text, 'UAT'));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.pipeline!.environments.map((e) => `${e.name}>${e.next ?? ''}`), ['Dev>Production', 'Production>']);
    assert.throws(() => removeEnvironmentFromText(text, 'QA'), /no environment named "QA"/);
  });
});

describe('task pool', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    const pool = new TaskPool(2);
    let running = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        pool.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return i;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(done, [0, 1, 2, 3, 4, 5, 6]);
  });

  it('a failing task does not stop the others', async () => {
    const pool = new TaskPool(1);
    const results = await Promise.allSettled([pool.run(async () => { throw new Error('boom'); }), pool.run(async () => 'ok')]);
    assert.equal(results[0].status, 'rejected');
    assert.deepEqual(results[1], { status: 'fulfilled', value: 'ok' });
  });
});

import * as assert from 'node:assert/strict';
import { parsePipeline, selfApprovalAllowed, type PipelineDiagnostic, type DiagnosticCode } from '../../../src/core/pipeline';
import type { OrgAuthorization } from '../../../src/core/orgs';

const SAMPLE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'dev', role: 'development', next: 'UAT', testLevel: 'NoTestRun' },
    { name: 'UAT', org: 'uat', role: 'staging', next: 'Production' },
    { name: 'Production', org: 'prod', role: 'production' },
  ],
  connections: [{ from: 'Dev', to: 'UAT' }],
};

function text(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function auth(alias: string, username = `${alias}@example.com`): OrgAuthorization {
  return { username, aliases: [alias], instanceUrl: 'https://x.my.salesforce.com', orgId: '00D000000000001AAA' };
}

function codes(ds: PipelineDiagnostic[]): DiagnosticCode[] {
  return ds.map((d) => d.code);
}

/** The text under a diagnostic's range in a single-line or multi-line document. */
function textAt(src: string, d: PipelineDiagnostic): string {
  const lines = src.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return src.slice(offset(d.range.start), offset(d.range.end));
}

function only(src: string, code: DiagnosticCode): PipelineDiagnostic {
  const r = parsePipeline(src);
  const found = r.diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(r.diagnostics, null, 1)}`);
  return found[0];
}

describe('pipeline file: parsing and ordering', () => {
  it('reads the sample file without problems, in pipeline order', () => {
    const r = parsePipeline(text(SAMPLE));
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.pipeline);
    assert.deepEqual(r.pipeline.environments.map((e) => e.name), ['Dev', 'UAT', 'Production']);
    assert.deepEqual(r.pipeline.stages, [['Dev'], ['UAT'], ['Production']]);
    assert.equal(r.pipeline.environments[0].testLevel, 'NoTestRun');
  });

  it('orders by stage whatever the order in the file, parallel dev environments side by side', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'Production', org: 'prod', role: 'production' },
        { name: 'UAT', org: 'uat', role: 'staging', next: 'Production' },
        { name: 'Int', org: 'int', role: 'integration', next: 'UAT' },
        { name: 'Dev B', org: 'devb', role: 'development', next: 'Int' },
        { name: 'Dev A', org: 'deva', role: 'development', next: 'Int' },
      ],
    });
    const r = parsePipeline(src);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.pipeline!.stages, [['Dev B', 'Dev A'], ['Int'], ['UAT'], ['Production']]);
    assert.deepEqual(r.pipeline!.environments.map((e) => e.name), ['Dev B', 'Dev A', 'Int', 'UAT', 'Production']);
  });

  it('puts production last even without any next', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'Production', org: 'prod', role: 'production' },
        { name: 'Dev', org: 'dev', role: 'development' },
      ],
    });
    assert.deepEqual(parsePipeline(src).pipeline!.stages, [['Dev'], ['Production']]);
  });

  it('default connections: each environment to its next, production back to every lower one', () => {
    const plain = { ...SAMPLE, connections: undefined };
    const conns = parsePipeline(text(plain)).pipeline!.connections;
    assert.deepEqual(
      conns.map((c) => `${c.from}>${c.to}:${c.kind}`),
      ['Dev>UAT:promotion', 'UAT>Production:promotion', 'Production>Dev:back-promotion', 'Production>UAT:back-promotion'],
    );
    assert.ok(conns.every((c) => !c.explicit));
  });

  it('explicit connections are marked and added to the defaults', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'Dev', org: 'dev', role: 'development', next: 'Int' },
        { name: 'Dev 2', org: 'dev2', role: 'development' },
        { name: 'Int', org: 'int', role: 'integration', next: 'Production' },
        { name: 'Production', org: 'prod', role: 'production' },
      ],
      connections: [{ from: 'Dev', to: 'Int' }, { from: 'Dev 2', to: 'Int' }],
    });
    const r = parsePipeline(src);
    assert.deepEqual(r.diagnostics, []);
    const conns = r.pipeline!.connections;
    assert.equal(conns.find((c) => c.from === 'Dev' && c.to === 'Int')!.explicit, true);
    assert.equal(conns.find((c) => c.from === 'Dev 2' && c.to === 'Int')!.explicit, true);
    assert.deepEqual(r.pipeline!.stages, [['Dev', 'Dev 2'], ['Int'], ['Production']]);
  });
});

describe('pipeline file: diagnostics', () => {
  it('JSON syntax error points at the broken place and yields no pipeline', () => {
    const src = '{\n  "version": 1,\n  "environments": [\n    {"name": "Dev" "org": "dev"}\n  ]\n}';
    const r = parsePipeline(src);
    assert.equal(r.pipeline, undefined);
    const d = r.diagnostics[0];
    assert.equal(d.code, 'syntax');
    assert.equal(d.range.start.line, 3);
    assert.match(d.message, /comma/);
  });

  it('comments and empty files are reported', () => {
    assert.equal(parsePipeline('// hi\n{"version":1,"environments":[]}').diagnostics[0].code, 'syntax');
    assert.equal(parsePipeline('').diagnostics[0].code, 'syntax');
  });

  it('a non-object root is reported', () => {
    assert.deepEqual(codes(parsePipeline('[1,2]').diagnostics), ['not-an-object']);
  });

  it('missing version and environments are reported', () => {
    const r = parsePipeline('{}');
    assert.deepEqual(codes(r.diagnostics), ['missing-field', 'missing-field']);
    assert.match(r.diagnostics.map((d) => d.message).join(' '), /"version": 1/);
  });

  it('unsupported version points at the value', () => {
    const src = text({ ...SAMPLE, version: 2 });
    const d = only(src, 'version');
    assert.equal(textAt(src, d), '2');
  });

  it('missing required field names the field and the environment', () => {
    const src = text({ version: 1, environments: [{ name: 'Dev', role: 'development' }] });
    const d = only(src, 'missing-field');
    assert.match(d.message, /Environment "Dev" is missing "org"/);
    assert.equal(parsePipeline(src).pipeline, undefined);
  });

  it('wrong type of a field points at the value', () => {
    const src = text({ version: 1, environments: [{ name: 'Dev', org: 42, role: 'development' }] });
    const d = only(src, 'wrong-type');
    assert.equal(textAt(src, d), '42');
  });

  it('invalid role lists the valid ones', () => {
    const src = text({ version: 1, environments: [{ name: 'Dev', org: 'dev', role: 'sandbox' }] });
    const d = only(src, 'invalid-role');
    assert.equal(textAt(src, d), '"sandbox"');
    assert.match(d.message, /"development", "integration", "staging", "production"/);
  });

  it('invalid test level is reported', () => {
    const src = text({ version: 1, environments: [{ name: 'Dev', org: 'dev', role: 'development', testLevel: 'All' }] });
    assert.equal(textAt(src, only(src, 'invalid-test-level')), '"All"');
  });

  it('self-approval: the file decides per environment; by default only development allows it', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'Dev', org: 'dev', role: 'development', next: 'UAT' },
        { name: 'UAT', org: 'uat', role: 'staging', next: 'Production', allowSelfApproval: true },
        { name: 'Production', org: 'prod', role: 'production' },
      ],
    });
    const r = parsePipeline(src);
    assert.deepEqual(r.diagnostics, []);
    const allowed = Object.fromEntries(r.pipeline!.environments.map((e) => [e.name, selfApprovalAllowed(e)]));
    assert.deepEqual(allowed, { Dev: true, UAT: true, Production: false });
    assert.equal(selfApprovalAllowed({ role: 'development', allowSelfApproval: false }), false);
    const wrong = text({ version: 1, environments: [{ name: 'Dev', org: 'dev', role: 'development', allowSelfApproval: 'yes' }] });
    const d = only(wrong, 'wrong-type');
    assert.equal(textAt(wrong, d), '"yes"');
    assert.match(d.message, /"allowSelfApproval" must be true or false/);
  });

  it('a name used twice is reported on the second one', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'Dev', org: 'dev', role: 'development' },
        { name: 'Dev', org: 'dev2', role: 'development' },
      ],
    });
    const d = only(src, 'duplicate-name');
    assert.equal(d.range.start.line, 9);
    assert.match(d.message, /"Dev" is used by another environment/);
  });

  it('unknown next names the known environments', () => {
    const src = text({ version: 1, environments: [{ name: 'Dev', org: 'dev', role: 'development', next: 'QA' }] });
    const d = only(src, 'unknown-next');
    assert.equal(textAt(src, d), '"QA"');
    assert.match(d.message, /Known environments: "Dev"/);
  });

  it('a cycle in next is reported on each environment of the cycle', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'A', org: 'a', role: 'development', next: 'B' },
        { name: 'B', org: 'b', role: 'integration', next: 'C' },
        { name: 'C', org: 'c', role: 'staging', next: 'A' },
        { name: 'Production', org: 'prod', role: 'production' },
      ],
    });
    const r = parsePipeline(src);
    const cycles = r.diagnostics.filter((d) => d.code === 'cycle');
    assert.deepEqual(cycles.map((d) => textAt(src, d)), ['"B"', '"C"', '"A"']);
    assert.match(cycles[0].message, /"A" → "B" → "C" → "A"/);
    assert.equal(r.pipeline, undefined);
  });

  it('two productions are reported on the second', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'Prod', org: 'prod', role: 'production' },
        { name: 'Prod EU', org: 'prodeu', role: 'production' },
      ],
    });
    const d = only(src, 'two-productions');
    assert.match(d.message, /"Prod" already has it.*"Prod EU"/);
    assert.equal(d.range.start.line, 11);
  });

  it('a connection that skips a stage is reported with the stage it skips', () => {
    const src = text({ ...SAMPLE, connections: [{ from: 'Dev', to: 'Production' }] });
    const d = only(src, 'skipped-stage');
    assert.match(d.message, /"Dev" → "Production" skips a stage \("UAT"\)/);
    assert.equal(parsePipeline(src).pipeline, undefined);
  });

  it('a next that skips a stage is reported too', () => {
    const src = text({
      version: 1,
      environments: [
        { name: 'Dev', org: 'dev', role: 'development', next: 'Int' },
        { name: 'Hotfix', org: 'hf', role: 'development', next: 'UAT' },
        { name: 'Int', org: 'int', role: 'integration', next: 'UAT' },
        { name: 'UAT', org: 'uat', role: 'staging', next: 'Production' },
        { name: 'Production', org: 'prod', role: 'production' },
      ],
    });
    const d = only(src, 'skipped-stage');
    assert.equal(textAt(src, d), '"UAT"');
    assert.match(d.message, /"Hotfix" → "UAT" skips a stage \("Int"\)/);
  });

  it('production may connect back to any lower environment', () => {
    const src = text({ ...SAMPLE, connections: [{ from: 'Production', to: 'Dev' }] });
    const r = parsePipeline(src);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.pipeline!.connections.find((c) => c.from === 'Production' && c.to === 'Dev')!.kind, 'back-promotion');
  });

  it('a connection going back down from a non-production environment is reported', () => {
    const src = text({ ...SAMPLE, connections: [{ from: 'UAT', to: 'Dev' }] });
    assert.ok(codes(parsePipeline(src).diagnostics).includes('backward-connection'));
  });

  it('a connection to an unknown environment points at the name', () => {
    const src = text({ ...SAMPLE, connections: [{ from: 'Dev', to: 'QA' }] });
    const d = only(src, 'unknown-connection-target');
    assert.equal(textAt(src, d), '"QA"');
  });

  it('a connection to itself is reported', () => {
    only(text({ ...SAMPLE, connections: [{ from: 'Dev', to: 'Dev' }] }), 'self-connection');
  });

  it('unknown org is a warning only when authorizations are given; aliases and usernames match', () => {
    const src = text(SAMPLE);
    assert.deepEqual(parsePipeline(src).diagnostics, []);
    const r = parsePipeline(src, { authorizations: [auth('dev'), auth('x', 'UAT@example.com'.toLowerCase())] });
    const unknown = r.diagnostics.filter((d) => d.code === 'unknown-org');
    assert.deepEqual(unknown.map((d) => textAt(src, d)), ['"uat"', '"prod"']);
    assert.ok(unknown.every((d) => d.severity === 'warning'));
    assert.match(unknown[1].message, /sf org login web --alias prod/);
    assert.ok(r.pipeline, 'warnings keep the pipeline');
    const byUsername = parsePipeline(src, { authorizations: [auth('dev'), auth('uat'), auth('p', 'PROD')] });
    assert.deepEqual(codes(byUsername.diagnostics), []);
  });

  it('unknown properties are warnings that keep the pipeline', () => {
    const src = text({ ...SAMPLE, colour: 'red' });
    const r = parsePipeline(src);
    assert.deepEqual(codes(r.diagnostics), ['unknown-property']);
    assert.equal(r.diagnostics[0].severity, 'warning');
    assert.ok(r.pipeline);
  });

  it('an empty pipeline is a warning', () => {
    const r = parsePipeline('{"version": 1, "environments": []}');
    assert.deepEqual(codes(r.diagnostics), ['no-environments']);
    assert.deepEqual(r.pipeline!.environments, []);
  });

  it('positions count CRLF line ends', () => {
    const src = '{\r\n  "version": 1,\r\n  "environments": [\r\n    {"name": "Dev", "org": "dev", "role": "boss"}\r\n  ]\r\n}';
    const d = only(src, 'invalid-role');
    assert.deepEqual(d.range.start, { line: 3, character: 42 });
  });
});

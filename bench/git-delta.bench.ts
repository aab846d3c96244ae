/**
 * The git delta of a 10,000-file repository with 500 changed files (edits, deletions, renames,
 * bundle members, object fields, static resource files), timed side by side with sfdx-git-delta
 * on the same commits in the same run (alternating, median of the runs), with both manifests
 * compared. The ratio is Changeline's median over sgd's (target: at most 1).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { componentKey } from '../src/core/metadata-types';
import * as salesforce from '../src/salesforce';
import { computeGitDelta } from '../src/workflows/git-delta/delta';
import { sgdAvailable, sgdDelta } from '../test/fixtures/sgd';
import type { Bench, BenchRow } from './types';

const D = 'force-app/main/default';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cls = (n: number, v = 1) => `public with sharing class C${n} {\n    // version ${v}\n    public static Integer value() {\n        return ${n * v};\n    }\n${'    // padding so renames are seen as renames\n'.repeat(6)}}\n`;
const field = (o: number, f: number, label = `Field ${f}`) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n    <fullName>F${f}__c</fullName>\n    <label>${label}</label>\n    <length>80</length>\n    <type>Text</type>\n</CustomField>\n`;

/** Writes the repository: 2,000 classes (4,000 files), 300 LWC × 3, 50 objects × 80 fields, 20 resources × 9 + meta, filler. */
export function build(root: string): { files: number; changed: number } {
  const put = (rel: string, text: string) => {
    const f = path.join(root, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  };
  const git = (...a: string[]) => execFileSync('git', a, { cwd: root, stdio: 'ignore', maxBuffer: 1 << 28 });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'user.name', 'Bench');
  let files = 0;
  put('sfdx-project.json', JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
  files++;
  for (let i = 0; i < 2000; i++, files += 2) {
    put(`${D}/classes/C${i}.cls`, cls(i));
    put(`${D}/classes/C${i}.cls-meta.xml`, META);
  }
  for (let i = 0; i < 300; i++, files += 3) {
    put(`${D}/lwc/cmp${i}/cmp${i}.js`, `import { LightningElement } from 'lwc';\nexport default class Cmp${i} extends LightningElement {}\n`);
    put(`${D}/lwc/cmp${i}/cmp${i}.html`, `<template><p>${i}</p></template>\n`);
    put(`${D}/lwc/cmp${i}/cmp${i}.js-meta.xml`, '<?xml version="1.0" encoding="UTF-8"?>\n<LightningComponentBundle xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion></LightningComponentBundle>\n');
  }
  for (let o = 0; o < 50; o++) for (let f = 0; f < 80; f++, files++) put(`${D}/objects/Obj${o}__c/fields/F${f}__c.field-meta.xml`, field(o, f));
  for (let r = 0; r < 20; r++) {
    put(`${D}/staticresources/res${r}.resource-meta.xml`, '<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata"><cacheControl>Public</cacheControl><contentType>application/zip</contentType></StaticResource>\n');
    files++;
    for (let k = 0; k < 9; k++, files++) put(`${D}/staticresources/res${r}/f${k}.css`, `.r${r}k${k} { color: #${String(r * 10 + k).padStart(3, '0')}; }\n`);
  }
  for (let i = 0; files < 10_000; i++, files++) put(`docs/notes/n${i}.md`, `note ${i}\n`);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('tag', 'base');
  let changed = 0;
  for (let i = 0; i < 160; i++, changed++) put(`${D}/classes/C${i}.cls`, cls(i, 2));
  for (let i = 200; i < 250; i++, changed += 2) git('rm', '-q', `${D}/classes/C${i}.cls`, `${D}/classes/C${i}.cls-meta.xml`);
  for (let i = 250; i < 275; i++, changed += 2) {
    git('mv', `${D}/classes/C${i}.cls`, `${D}/classes/R${i}.cls`);
    git('mv', `${D}/classes/C${i}.cls-meta.xml`, `${D}/classes/R${i}.cls-meta.xml`);
    put(`${D}/classes/R${i}.cls`, cls(i).replace(`class C${i}`, `class R${i}`));
  }
  for (let i = 0; i < 60; i++, changed++) put(`${D}/lwc/cmp${i}/cmp${i}.html`, `<template><p>${i} changed</p></template>\n`);
  for (let o = 0; o < 10; o++) for (let f = 0; f < 8; f++, changed++) put(`${D}/objects/Obj${o}__c/fields/F${f}__c.field-meta.xml`, field(o, f, `Changed ${f}`));
  for (let o = 10; o < 13; o++) for (let f = 0; f < 10; f++, changed++) git('rm', '-q', `${D}/objects/Obj${o}__c/fields/F${f}__c.field-meta.xml`);
  for (let r = 0; r < 20; r++, changed++) put(`${D}/staticresources/res${r}/f0.css`, `.changed${r} {}\n`);
  for (let i = 0; changed < 500; i++, changed++) put(`docs/notes/n${i}.md`, `note ${i} changed\n`);
  git('add', '-A');
  git('commit', '-q', '-m', 'changes');
  git('tag', 'next');
  return { files, changed };
}

export const bench: Bench = {
  name: 'git-delta',
  description: 'git delta of a 10,000-file repository with 500 changed files, side by side with sfdx-git-delta on the same commits (manifests compared)',
  async run({ quick, log }): Promise<BenchRow[]> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-bench-git-delta-'));
    try {
      const t0 = Date.now();
      const { files, changed } = build(root);
      log(`repository: ${files} files, ${changed} changed, built in ${Date.now() - t0} ms`);
      const deps = { salesforce: async () => salesforce };
      const why = await sgdAvailable();
      const runs = quick ? 1 : 5;
      const ours: number[] = [];
      const theirs: number[] = [];
      let same: boolean | string = why ? `sgd not run: ${why}` : true;
      let counts = { deploy: 0, destroy: 0 };
      // Warm both once (module loading, SDR's registry), then alternate.
      await computeGitDelta(deps, { repo: root, from: 'base', to: 'next' });
      if (!why) await sgdDelta(root, 'base', 'next');
      for (let i = 0; i < runs; i++) {
        let t = performance.now();
        const d = await computeGitDelta(deps, { repo: root, from: 'base', to: 'next' });
        ours.push(performance.now() - t);
        counts = { deploy: d.plan.deploy.length, destroy: d.plan.destroy.length };
        if (why) continue;
        t = performance.now();
        const s = await sgdDelta(root, 'base', 'next');
        theirs.push(performance.now() - t);
        const equal = JSON.stringify(d.plan.deploy.map(componentKey)) === JSON.stringify(s.deploy) && JSON.stringify(d.plan.destroy.map(componentKey)) === JSON.stringify(s.destroy);
        if (!equal) same = `manifests differ: ours ${d.plan.deploy.length}/${d.plan.destroy.length}, sgd ${s.deploy.length}/${s.destroy.length}`;
      }
      const rows: BenchRow[] = [{ case: `Changeline git delta, ${files} files, ${changed} changed (median of ${runs})`, wallMs: median(ours), notes: { ...counts, sameAsSgd: same } }];
      if (theirs.length) {
        rows.push({ case: `sfdx-git-delta, same commits (median of ${runs})`, wallMs: median(theirs), notes: { ratio: (median(ours) / median(theirs)).toFixed(2) } });
        log(`ratio Changeline / sgd: ${(median(ours) / median(theirs)).toFixed(2)} (${ours.map((x) => x.toFixed(0)).join(', ')} vs ${theirs.map((x) => x.toFixed(0)).join(', ')} ms)`);
      }
      return rows;
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};

/**
 * A folder static resource deployed to two orgs at different moments: SDR zips the folder at each
 * deploy and stamps every entry with that moment, so the orgs hold different zips of the same
 * files. The compare reads the entries and calls the resource identical; a changed file shows as
 * that entry, and the side's files for the diff are the entries. Real SDR deploys and the compare
 * over the emulator.
 */
import { strict as assert } from 'node:assert';
import type { CompareResult, RetrievedComponent } from '../../src/core/compare';
import { compareOrgs, compareSide, deploy } from '../../src/salesforce';
import { connectionOf } from '../../src/salesforce/connection';
import { retrieveZip } from '../../src/salesforce/compare/compare-retrieve';
import { readZip } from '../../src/salesforce/compare/zip-codec';
import { startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, type TempProject } from './helpers/project';

const REF = { type: 'StaticResource', fullName: 'leafletjs' };
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">\n    <cacheControl>Public</cacheControl>\n    <contentType>application/zip</contentType>\n</StaticResource>\n';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a0c40000000049454e44ae426082', 'hex');

/** force-app/main/default/staticresources/leafletjs/… as a project keeps it. */
function writeLeaflet(p: TempProject, css = '.leaflet-pane { z-index: 400; }\n'): void {
  p.write('staticresources/leafletjs.resource-meta.xml', META);
  p.write('staticresources/leafletjs/leaflet.js', '/* Leaflet 1.9.4 */\nwindow.L = { version: "1.9.4" };\n');
  p.write('staticresources/leafletjs/css/leaflet.css', css);
  p.write('staticresources/leafletjs/images/marker-icon.png', PNG);
}

/** The zip entries' DOS time has a two-second resolution: this is the window a moment falls in. */
const dosWindow = (ms: number) => Math.floor(ms / 2000);

/** Waits (polling the clock) until a zip made now would carry a later time than one made at `ms`. */
async function untilClockPasses(ms: number): Promise<void> {
  while (dosWindow(Date.now()) === dosWindow(ms)) await new Promise((r) => setTimeout(r, 50));
}

describe('compare: a folder static resource deployed to two orgs at different times', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  before(async () => {
    env = await startEmulator({ orgs: ['uat', 'dev'], seed: 5, components: 20 });
  });
  after(async () => env?.stop());

  const deployTo = async (org: 'uat' | 'dev', css?: string) => {
    const project = tempProject();
    try {
      writeLeaflet(project, css);
      const res = await deploy(env.conns[org], { sourcePaths: [project.dir], testLevel: 'NoTestRun', pollMs: 20 });
      assert.equal(res.success, true, JSON.stringify(res.failures));
    } finally {
      project.remove();
    }
  };
  /** The .resource bytes the org holds, as a retrieve returns them. */
  const resourceBytes = async (org: 'uat' | 'dev') => {
    const zip = await retrieveZip(connectionOf(env.conns[org]), [REF], { label: org, pollMs: 20, timeoutMs: 60_000, signal: new AbortController().signal });
    const body = readZip(zip, 1e9).get('unpackaged/staticresources/leafletjs.resource');
    assert.ok(body, 'the retrieve holds the resource');
    return body;
  };
  const compare = (): Promise<CompareResult> =>
    compareOrgs({ handle: env.conns.uat, label: 'UAT' }, { handle: env.conns.dev, label: 'Dev' }, { types: ['StaticResource'], forceFull: true });
  const item = (r: CompareResult) => r.items.find((i) => i.type === REF.type && i.fullName === REF.fullName);

  it('is identical: the zips differ only by when they were made', async () => {
    await deployTo('uat');
    await untilClockPasses(Date.now());
    await deployTo('dev');
    const [uatZip, devZip] = [await resourceBytes('uat'), await resourceBytes('dev')];
    assert.notDeepEqual(uatZip, devZip, 'the two orgs hold different zips (their entries carry the deploy times)');
    assert.deepEqual([...readZip(uatZip, 1e9).keys()].sort(), [...readZip(devZip, 1e9).keys()].sort());

    const result = await compare();
    assert.equal(item(result)?.status, 'identical', JSON.stringify(item(result)));
  });

  it('a changed file is reported as that entry, and the diff gets the entries', async () => {
    await deployTo('dev', '.leaflet-pane { z-index: 401; }\n');
    const result = await compare();
    assert.equal(item(result)?.status, 'different');
    assert.deepEqual(item(result)?.differingFiles, [{ path: 'staticresources/leafletjs/css/leaflet.css', change: 'modified' }]);

    // What Open Diff reads: the component's files from each org, entry by entry.
    const files = async (org: 'uat' | 'dev') => {
      const got = [...((await compareSide(env.conns[org], { pollMs: 20 }).retrieve([REF], new AbortController().signal)) as Iterable<RetrievedComponent>)];
      assert.equal(got.length, 1);
      return got[0].files;
    };
    const [uat, dev] = [await files('uat'), await files('dev')];
    const css = 'staticresources/leafletjs/css/leaflet.css';
    assert.equal(Buffer.from(uat.get(css) as Uint8Array).toString('utf8'), '.leaflet-pane { z-index: 400; }\n');
    assert.equal(Buffer.from(dev.get(css) as Uint8Array).toString('utf8'), '.leaflet-pane { z-index: 401; }\n');
    assert.deepEqual([...uat.keys()].sort(), [
      'staticresources/leafletjs.resource-meta.xml',
      css,
      'staticresources/leafletjs/images/marker-icon.png',
      'staticresources/leafletjs/leaflet.js',
    ]);
  });
});

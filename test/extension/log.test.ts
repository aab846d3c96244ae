import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changeline } from './support';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The text of the Changeline output channel's log file, once it contains `marker`. */
async function channelTextWith(logFolder: string, marker: string): Promise<string> {
  // The output channel's file sits beside the extension's own log folder: <exthost>/output_logging_*/N-Changeline.log
  const exthost = path.dirname(logFolder);
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    for (const f of filesUnder(exthost).filter((f) => /Changeline\.log$/.test(f))) {
      const text = fs.readFileSync(f, 'utf8');
      if (text.includes(marker)) return text;
    }
  }
  throw new Error(`"${marker}" never reached the Changeline channel's log file under ${exthost}`);
}

describe('log level setting', () => {
  const config = () => vscode.workspace.getConfiguration('changeline');
  let before: unknown;
  beforeEach(() => (before = config().inspect('log.level')?.workspaceValue));
  afterEach(async () => config().update('log.level', before, vscode.ConfigurationTarget.Workspace));

  it('debug lines appear when the setting asks for them, whatever the channel level, and not otherwise', async () => {
    const api = await changeline();
    const probe = `debug probe ${Date.now()}`;
    await config().update('log.level', 'debug', vscode.ConfigurationTarget.Workspace);
    api.log.debug(probe);
    assert.match(await channelTextWith(api.logFolder, probe), new RegExp(`${probe}`));

    await config().update('log.level', 'info', vscode.ConfigurationTarget.Workspace);
    const hidden = `hidden debug ${Date.now()}`;
    const marker = `info marker ${Date.now()}`;
    api.log.debug(hidden);
    api.log.info(marker);
    assert.doesNotMatch(await channelTextWith(api.logFolder, marker), new RegExp(hidden));
  });
});

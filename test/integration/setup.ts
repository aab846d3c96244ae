/**
 * Loaded by mocha before the integration tests (see .mocharc.integration.json), before any
 * Salesforce library: a private HOME (auth files, keychain), the generic keychain, no log file,
 * and no proxies (jsforce ignores NO_PROXY).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-it-home-'));
process.env.HOME = home;
process.env.USERPROFILE = home;
process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
process.env.SF_DISABLE_LOG_FILE = 'true';
process.env.SF_DISABLE_TELEMETRY = 'true';
for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) delete process.env[k];

process.on('exit', () => {
  try {
    fs.rmSync(home, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
});

import * as assert from 'node:assert/strict';
import { readConfig, SETTINGS } from '../../../src/config';

function source(values: Record<string, unknown>) {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

describe('config', () => {
  it('uses the defaults when nothing is set', () => {
    assert.deepEqual(readConfig(source({})), {
      pipelineFile: SETTINGS['pipeline.file'],
      checkConnectionsOnStartup: true,
      connectionCheckConcurrency: 2,
      defaultLoginUrl: 'https://test.salesforce.com',
      logLevel: 'info',
      compareUseSourceTracking: true,
    });
  });

  it('reads valid values', () => {
    const c = readConfig(
      source({
        'pipeline.file': 'release/pipeline.json',
        'connections.checkOnStartup': false,
        'connections.concurrency': 4,
        'login.defaultLoginUrl': 'https://login.salesforce.com',
        'log.level': 'debug',
        'compare.useSourceTracking': false,
      }),
    );
    assert.deepEqual(c, {
      pipelineFile: 'release/pipeline.json',
      checkConnectionsOnStartup: false,
      connectionCheckConcurrency: 4,
      defaultLoginUrl: 'https://login.salesforce.com',
      logLevel: 'debug',
      compareUseSourceTracking: false,
    });
  });

  it('falls back to defaults for invalid values instead of failing', () => {
    const c = readConfig(
      source({
        'pipeline.file': '../outside.json',
        'connections.checkOnStartup': 'yes',
        'connections.concurrency': 0,
        'login.defaultLoginUrl': 'not a url',
        'log.level': 'verbose',
        'compare.useSourceTracking': 'no',
      }),
    );
    assert.deepEqual(c, readConfig(source({})));
    assert.equal(readConfig(source({ 'pipeline.file': '/etc/passwd' })).pipelineFile, SETTINGS['pipeline.file']);
    assert.equal(readConfig(source({ 'connections.concurrency': 2.5 })).connectionCheckConcurrency, 2);
  });
});

/**
 * The only reader of Changeline settings (`changeline.*`). No runtime `vscode` import: the caller
 * passes `vscode.workspace.getConfiguration('changeline')`, so defaults and validation are unit tested.
 */

export const CONFIG_SECTION = 'changeline';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ChangelineConfig {
  /** Pipeline file path, relative to the workspace folder. */
  pipelineFile: string;
  /** Test every environment's connection when the Environments view first shows. */
  checkConnectionsOnStartup: boolean;
  /** How many connection checks run at once. */
  connectionCheckConcurrency: number;
  /** Login URL proposed when authorizing a new org in the browser. */
  defaultLoginUrl: string;
  /** Lowest level written to the Changeline log. */
  logLevel: LogLevel;
  /** Compare: skip listing an org with source tracking when its change log shows no change. */
  compareUseSourceTracking: boolean;
}

/** Setting keys (under `changeline.`) and their defaults; package.json must agree (unit tested). */
export const SETTINGS = {
  'pipeline.file': '.changeline/pipeline.json',
  'connections.checkOnStartup': true,
  'connections.concurrency': 2,
  'login.defaultLoginUrl': 'https://test.salesforce.com',
  'log.level': 'info' as LogLevel,
  'compare.useSourceTracking': true,
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** The subset of `vscode.WorkspaceConfiguration` this module needs. */
export interface ConfigurationSource {
  get<T>(key: string): T | undefined;
}

function str(src: ConfigurationSource, key: SettingKey): string {
  const v = src.get<unknown>(key);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : (SETTINGS[key] as string);
}

export function readConfig(src: ConfigurationSource): ChangelineConfig {
  const check = src.get<unknown>('connections.checkOnStartup');
  const conc = src.get<unknown>('connections.concurrency');
  const level = src.get<unknown>('log.level');
  const tracking = src.get<unknown>('compare.useSourceTracking');
  const file = str(src, 'pipeline.file').replace(/\\/g, '/');
  const url = str(src, 'login.defaultLoginUrl');
  return {
    // Absolute paths or paths leaving the folder are refused: the file belongs to the workspace.
    pipelineFile: file.startsWith('/') || /^[a-z]:/i.test(file) || file.split('/').includes('..') ? SETTINGS['pipeline.file'] : file,
    checkConnectionsOnStartup: typeof check === 'boolean' ? check : SETTINGS['connections.checkOnStartup'],
    connectionCheckConcurrency:
      typeof conc === 'number' && Number.isInteger(conc) && conc >= 1 && conc <= 8 ? conc : SETTINGS['connections.concurrency'],
    defaultLoginUrl: /^https?:\/\/[^\s/]+/.test(url) ? url : SETTINGS['login.defaultLoginUrl'],
    logLevel: typeof level === 'string' && (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : SETTINGS['log.level'],
    compareUseSourceTracking: typeof tracking === 'boolean' ? tracking : SETTINGS['compare.useSourceTracking'],
  };
}

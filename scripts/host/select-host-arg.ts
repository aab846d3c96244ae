/**
 * `--host floor|latest` on a script's command line: sets CHANGELINE_VSCODE_HOST for this process
 * (and what it starts) before ./paths reads it. Import it before ./paths.
 */
import { parseHostName } from './host-name';

const i = process.argv.indexOf('--host');
if (i >= 0) {
  const value = process.argv[i + 1];
  if (value === undefined) throw new Error('--host needs a value: floor or latest');
  process.env.CHANGELINE_VSCODE_HOST = parseHostName(value, '--host');
}

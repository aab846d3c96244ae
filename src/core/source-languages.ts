/**
 * Language modes for Salesforce source files in a diff. VS Code maps `.cls` to TeX (LaTeX class
 * files) and knows nothing of `.trigger` or Visualforce; an Apex extension, when installed,
 * provides `apex` (and `visualforce`). Otherwise the nearest built-in mode reads best: Apex is
 * Java-like, Visualforce is HTML-like. Pure, no vscode import.
 */

/** Preferred language ids per file extension, best first; the last is always built into VS Code. */
const PREFERRED: Readonly<Record<string, readonly string[]>> = {
  '.cls': ['apex', 'java'],
  '.trigger': ['apex', 'java'],
  '.apex': ['apex', 'java'],
  '.page': ['visualforce', 'html'],
  '.component': ['visualforce', 'html'],
};

/** Modes VS Code falls back to for these files by itself: replaced; anything else is the user's choice, kept. */
const GUESSES: readonly string[] = ['tex', 'latex', 'plaintext'];

/**
 * The language a Salesforce source file should be shown in, given the languages VS Code knows and
 * the one it picked (`current`): undefined when the current one is right or was chosen by the user.
 */
export function sourceLanguage(fileName: string, available: readonly string[], current?: string): string | undefined {
  const dot = fileName.lastIndexOf('.');
  const preferred = dot >= 0 ? PREFERRED[fileName.slice(dot).toLowerCase()] : undefined;
  if (!preferred) return undefined;
  const wanted = preferred.find((id) => available.includes(id));
  if (!wanted || wanted === current) return undefined;
  if (current !== undefined && !GUESSES.includes(current) && !preferred.includes(current)) return undefined;
  return wanted;
}

/** The names of the VS Code hosts the tests run on (scripts/host/paths.ts describes each). */
export const HOST_NAMES = ['floor', 'latest'] as const;
export type HostName = (typeof HOST_NAMES)[number];

export function parseHostName(value: string, what = 'CHANGELINE_VSCODE_HOST'): HostName {
  if ((HOST_NAMES as readonly string[]).includes(value)) return value as HostName;
  throw new Error(`${what} is "${value}": expected one of ${HOST_NAMES.join(', ')}`);
}

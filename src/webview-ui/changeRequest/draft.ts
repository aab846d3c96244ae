/**
 * The user's unsaved edits as plain data, and the checks the webview gives at once (the host runs
 * the real rules on save). Pure, no DOM.
 */
import { NAME_MAX } from '../../core/change-requests/model';
import type { ComponentItem, DraftFields } from '../../shared/changeRequestProtocol';

export function cloneDraft(d: DraftFields): DraftFields {
  return {
    name: d.name,
    changeType: d.changeType,
    overview: d.overview,
    customizations: d.customizations.map((c) => ({ ...c })),
    proposedCustomizations: d.proposedCustomizations.map((c) => ({ ...c })),
    approvers: [...d.approvers],
  };
}

const key = (c: ComponentItem): string => `${c.type}:${c.fullName}`;

export function sameDraft(a: DraftFields, b: DraftFields): boolean {
  const list = (l: ComponentItem[]) => l.map(key).join('\n');
  return (
    a.name === b.name &&
    a.changeType === b.changeType &&
    a.overview === b.overview &&
    list(a.customizations) === list(b.customizations) &&
    list(a.proposedCustomizations) === list(b.proposedCustomizations) &&
    [...a.approvers].sort().join(',') === [...b.approvers].sort().join(',')
  );
}

export function nameError(name: string): string | undefined {
  const n = name.trim();
  if (!n) return 'Give the change request a name.';
  if (n.length > NAME_MAX) return `Shorten the name to ${NAME_MAX} characters or fewer (it has ${n.length}).`;
  return undefined;
}

/** Why a component cannot be added to a list, or undefined when it can. */
export function componentError(c: ComponentItem, list: readonly ComponentItem[], knownTypes: readonly string[] | undefined): string | undefined {
  if (!c.type.trim() || !c.fullName.trim()) return 'Give a metadata type and a full name (e.g. ApexClass Greeter).';
  if (knownTypes && knownTypes.length && !knownTypes.includes(c.type.trim())) return `"${c.type}" is not a metadata type this org knows; check the spelling (e.g. ApexClass, CustomField, Flow).`;
  if (list.some((x) => key(x) === `${c.type.trim()}:${c.fullName.trim()}`)) return `${c.type} ${c.fullName} is already in the list.`;
  return undefined;
}

/**
 * Salesforce API names as the scanners meet them: which object and field names are custom (and
 * so may be missing from an org), and how derived names map back to the component to deploy.
 * Standard objects and fields are in every org and never reported.
 */
import type { ComponentRef } from '../../metadata-types';

/** Object suffixes of components a package or org may lack: custom objects, metadata types, events, big and external objects. */
const OBJECT = /^[A-Za-z]\w*__(?:c|mdt|e|b|x)$/i;
/** Objects Salesforce derives from a custom object: X__Share, X__History, X__Feed, X__ChangeEvent, X__Tag. */
const DERIVED = /^([A-Za-z]\w*)__(?:Share|History|Feed|ChangeEvent|Tag)$/i;

/** The custom object a name stands for, or undefined for a standard object (or not an object name). */
export function customObject(name: string): string | undefined {
  if (OBJECT.test(name)) return name;
  const derived = DERIVED.exec(name);
  return derived ? `${derived[1]}__c` : undefined;
}

/** The custom field a field name (or relationship name `X__r`) stands for, or undefined for a standard field. */
export function customFieldName(name: string): string | undefined {
  if (/^[A-Za-z]\w*__c$/i.test(name)) return name;
  if (/^[A-Za-z]\w*__r$/i.test(name)) return `${name.slice(0, -1)}c`;
  return undefined;
}

export const objectRef = (name: string): ComponentRef => ({ type: 'CustomObject', fullName: name });
export const fieldRef = (object: string, field: string): ComponentRef => ({ type: 'CustomField', fullName: `${object}.${field}` });

/**
 * The components a use of `object.field` needs: the custom field (also on a standard object) and
 * its custom object; nothing for a standard field of a standard object.
 */
export function fieldUse(object: string, field: string, line: number, why: string): Array<{ to: ComponentRef; line: number; why: string }> {
  const out: Array<{ to: ComponentRef; line: number; why: string }> = [];
  const obj = customObject(object) ?? object;
  const f = customFieldName(field);
  if (f) out.push({ to: fieldRef(obj, f), line, why });
  const custom = customObject(object);
  if (custom) out.push({ to: objectRef(custom), line, why });
  return out;
}

/** 1-based line of each offset in `text`, by binary search over line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

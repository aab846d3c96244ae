/**
 * Field references in a formula (formula fields, validation rules): fields of the formula's own
 * object, the first hop of a relationship path, custom labels and custom settings.
 */
import { customFieldName, customObject, fieldUse, objectRef } from './names';
import type { Found } from './types';

const PATH = /(\$?[A-Za-z][\w]*)((?:\.[A-Za-z]\w*)*)/g;

/** References in `formula` (on `object`), all reported at `line` with `why`. */
export function formulaRefs(formula: string, object: string, line: number, why: string): Found[] {
  const out: Found[] = [];
  const text = formula.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (s) => ' '.repeat(s.length));
  for (const m of text.matchAll(PATH)) {
    const before = m.index ? text[m.index - 1] : '';
    if (before && /[\w.]/.test(before)) continue;
    const parts = [m[1], ...m[2].split('.').filter(Boolean)];
    const head = parts[0];
    if (head === '$Label' && parts[1]) out.push({ to: { type: 'CustomLabel', fullName: parts[1] }, line, why });
    else if (head === '$Setup' && parts[1] && parts[2]) out.push(...fieldUse(parts[1], parts[2], line, why));
    else if (head === '$CustomMetadata' && parts[1]) {
      const obj = customObject(parts[1]);
      if (obj) out.push({ to: objectRef(obj), line, why });
      if (obj && parts[3]) out.push(...fieldUse(obj, parts[3], line, why));
    } else if (!head.startsWith('$') && customFieldName(head)) out.push(...fieldUse(object, head, line, why));
  }
  return out;
}

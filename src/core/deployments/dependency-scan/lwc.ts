/**
 * References in a Lightning web component's JavaScript: `@salesforce/apex/Class.method`,
 * `@salesforce/schema/Object.Field`, `@salesforce/label/c.Name`, message channels, and other
 * components imported as `c/name`. (HTML is not scanned.)
 */
import { customObject, fieldUse, lineIndex, objectRef } from './names';
import type { Found } from './types';

/** `import ... from '...'`, `import '...'` and `import('...')`. */
const IMPORT = /\bimport\s*(?:\(\s*|[^'";]*?\bfrom\s*|\s)(['"])([^'"\n]+)\1/g;

function stripComments(js: string): string {
  return js.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (s) => s.replace(/[^\n]/g, ' '));
}

/** References of one JS file of the bundle `bundle`. */
export function lwcRefs(bundle: string, js: string): Found[] {
  const text = stripComments(js);
  const lineAt = lineIndex(text);
  const out: Found[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[2];
    const line = lineAt((m.index ?? 0) + m[0].indexOf(spec));
    const why = `imports ${spec}`;
    const [, scope, rest = ''] = /^(@salesforce\/[A-Za-z]+|c)\/(.*)$/.exec(spec) ?? [];
    if (!scope) continue;
    if (scope === '@salesforce/apex' || scope === '@salesforce/apexContinuation') {
      const parts = rest.split('.');
      // Class.method; a namespaced (managed) class comes with its package and is not checked.
      if (parts.length === 2 && parts[0]) out.push({ to: { type: 'ApexClass', fullName: parts[0] }, line, why });
    } else if (scope === '@salesforce/schema') {
      const [object, field] = rest.split('.');
      if (!object) continue;
      if (field) out.push(...fieldUse(object, field, line, why));
      else if (customObject(object)) out.push({ to: objectRef(customObject(object)!), line, why });
    } else if (scope === '@salesforce/label') {
      const name = /^c\.(\w+)$/.exec(rest)?.[1];
      if (name) out.push({ to: { type: 'CustomLabel', fullName: name }, line, why });
    } else if (scope === '@salesforce/messageChannel') {
      // Imported as Name__c; the component is Name (a namespaced channel comes with its package).
      const name = /^([A-Za-z]\w*)__c$/.exec(rest)?.[1];
      if (name && !name.includes('__')) out.push({ to: { type: 'LightningMessageChannel', fullName: name }, line, why });
    } else if (scope === 'c' && rest && rest !== bundle && !rest.includes('/')) {
      out.push({ to: { type: 'LightningComponentBundle', fullName: rest }, line, why });
    }
  }
  return out;
}

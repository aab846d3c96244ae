/**
 * References in metadata XML: layouts → their fields; permission sets and profiles → fields,
 * objects and classes they grant; custom fields → their object, lookup targets, roll-up fields,
 * value sets and formula fields; validation rules → fields of their formula.
 */
import type { ComponentRef } from '../../metadata-types';
import { formulaRefs } from './formula';
import { customObject, fieldUse, objectRef } from './names';
import type { Found } from './types';
import { child, descendants, readXml, type XNode } from './xml-tree';

/** `Account-Account Layout` → `Account`. */
const layoutObject = (fullName: string): string => fullName.slice(0, fullName.indexOf('-') < 0 ? undefined : fullName.indexOf('-'));
/** `Invoice__c.Total__c` → [`Invoice__c`, `Total__c`]. */
function split(qualified: string): [string, string] | undefined {
  const dot = qualified.indexOf('.');
  return dot > 0 ? [qualified.slice(0, dot), qualified.slice(dot + 1)] : undefined;
}

export function layoutRefs(ref: ComponentRef, root: XNode): Found[] {
  const object = layoutObject(ref.fullName);
  const out: Found[] = [];
  const custom = customObject(object);
  if (custom) out.push({ to: objectRef(custom), line: root.line, why: `is a layout of ${custom}` });
  for (const f of descendants(root, 'layoutItems').map((i) => child(i, 'field')).filter((x): x is XNode => !!x)) {
    out.push(...fieldUse(object, f.text, f.line, `shows ${object}.${f.text}`));
  }
  return out;
}

export function permissionRefs(root: XNode): Found[] {
  const out: Found[] = [];
  for (const p of descendants(root, 'fieldPermissions')) {
    const f = child(p, 'field');
    const parts = f && split(f.text);
    if (f && parts) out.push(...fieldUse(parts[0], parts[1], f.line, `grants access to ${f.text}`));
  }
  for (const p of [...descendants(root, 'objectPermissions'), ...descendants(root, 'customMetadataTypeAccesses'), ...descendants(root, 'customSettingAccesses')]) {
    const o = child(p, 'object') ?? child(p, 'name');
    const custom = o && customObject(o.text);
    if (o && custom) out.push({ to: objectRef(custom), line: o.line, why: `grants access to ${custom}` });
  }
  for (const p of descendants(root, 'classAccesses')) {
    const c = child(p, 'apexClass');
    if (c?.text) out.push({ to: { type: 'ApexClass', fullName: c.text }, line: c.line, why: `grants access to Apex class ${c.text}` });
  }
  return out;
}

export function customFieldRefs(ref: ComponentRef, root: XNode): Found[] {
  const parts = split(ref.fullName);
  if (!parts) return [];
  const [object] = parts;
  const out: Found[] = [];
  const custom = customObject(object);
  if (custom) out.push({ to: objectRef(custom), line: root.line, why: `is a field of ${custom}` });
  for (const r of descendants(root, 'referenceTo')) {
    const target = customObject(r.text);
    if (target) out.push({ to: objectRef(target), line: r.line, why: `looks up ${target}` });
  }
  for (const name of ['summarizedField', 'summaryForeignKey']) {
    for (const s of descendants(root, name)) {
      const q = split(s.text);
      if (q) out.push(...fieldUse(q[0], q[1], s.line, `rolls up ${s.text}`));
    }
  }
  for (const v of descendants(root, 'valueSetName')) {
    if (v.text) out.push({ to: { type: 'GlobalValueSet', fullName: v.text }, line: v.line, why: `uses the global value set ${v.text}` });
  }
  for (const f of descendants(root, 'formula')) out.push(...formulaRefs(f.text, object, f.line, `uses it in its formula`));
  return out.filter((x) => x.to.type !== 'CustomField' || x.to.fullName.toLowerCase() !== ref.fullName.toLowerCase());
}

export function validationRuleRefs(ref: ComponentRef, root: XNode): Found[] {
  const object = split(ref.fullName)?.[0];
  if (!object) return [];
  const out: Found[] = [];
  const custom = customObject(object);
  if (custom) out.push({ to: objectRef(custom), line: root.line, why: `is a validation rule of ${custom}` });
  for (const f of descendants(root, 'errorConditionFormula')) out.push(...formulaRefs(f.text, object, f.line, 'uses it in its error condition'));
  for (const f of descendants(root, 'errorDisplayField')) out.push(...fieldUse(object, f.text, f.line, `shows its error on ${object}.${f.text}`));
  return out;
}

/** References of one metadata XML file, by the kind of its component; empty for kinds not scanned. */
export function metadataXmlRefs(ref: ComponentRef, text: string): Found[] {
  const root = readXml(text);
  if (!root) return [];
  switch (ref.type) {
    case 'Layout':
      return layoutRefs(ref, root);
    case 'PermissionSet':
    case 'Profile':
      return permissionRefs(root);
    case 'CustomField':
      return customFieldRefs(ref, root);
    case 'ValidationRule':
      return validationRuleRefs(ref, root);
    default:
      return [];
  }
}

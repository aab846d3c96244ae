/**
 * References in a flow: the object of each record element (get, create, update, delete, the
 * record-triggered start, choice sets) and the fields it reads or writes; `$Record.Field__c`
 * of a record-triggered flow; invocable Apex actions and Apex plug-ins; subflows.
 */
import { customFieldName, customObject, fieldUse, objectRef } from './names';
import type { Found } from './types';
import { child, descendants, readXml, type XNode } from './xml-tree';

const RECORD_ELEMENTS = ['recordLookups', 'recordCreates', 'recordUpdates', 'recordDeletes', 'start', 'dynamicChoiceSets'];
const FIELD_TAGS = ['field', 'queriedFields', 'sortField', 'displayField', 'valueField'];
const VERB: Record<string, string> = {
  recordLookups: 'gets',
  recordCreates: 'creates',
  recordUpdates: 'updates',
  recordDeletes: 'deletes',
  start: 'is triggered by',
  dynamicChoiceSets: 'lists',
};

function recordElementRefs(el: XNode): Found[] {
  const object = child(el, 'object');
  if (!object?.text) return [];
  const name = child(el, 'name')?.text ?? el.name;
  const verb = VERB[el.name] ?? 'uses';
  const out: Found[] = [];
  const custom = customObject(object.text);
  if (custom) out.push({ to: objectRef(custom), line: object.line, why: `${verb} ${custom} records (${name})` });
  for (const tag of FIELD_TAGS) {
    for (const f of descendants(el, tag)) {
      if (f.text) out.push(...fieldUse(object.text, f.text, f.line, `${verb === 'is triggered by' ? 'filters on' : 'uses'} ${object.text}.${f.text} (${name})`));
    }
  }
  return out;
}

function recordVariableRefs(root: XNode, startObject: string): Found[] {
  const out: Found[] = [];
  const walk = (n: XNode): void => {
    for (const m of n.text.matchAll(/\$Record(?:__Prior)?\.([A-Za-z]\w*)/g)) {
      if (customFieldName(m[1])) out.push(...fieldUse(startObject, m[1], n.line, `uses $Record.${m[1]}`));
    }
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

export function flowRefs(text: string): Found[] {
  const root = readXml(text);
  if (!root) return [];
  const out: Found[] = [];
  for (const tag of RECORD_ELEMENTS) for (const el of descendants(root, tag)) out.push(...recordElementRefs(el));
  const startObject = child(root, 'start') && child(child(root, 'start')!, 'object')?.text;
  if (startObject) out.push(...recordVariableRefs(root, startObject));
  for (const call of descendants(root, 'actionCalls')) {
    const type = child(call, 'actionType')?.text;
    const action = child(call, 'actionName');
    if (type === 'apex' && action?.text) out.push({ to: { type: 'ApexClass', fullName: action.text }, line: action.line, why: `calls the invocable Apex action ${action.text}` });
  }
  for (const plugin of descendants(root, 'apexPluginCalls')) {
    const cls = child(plugin, 'apexClass');
    if (cls?.text) out.push({ to: { type: 'ApexClass', fullName: cls.text }, line: cls.line, why: `calls the Apex plug-in ${cls.text}` });
  }
  for (const sub of descendants(root, 'subflows')) {
    const flow = child(sub, 'flowName');
    if (flow?.text) out.push({ to: { type: 'Flow', fullName: flow.text }, line: flow.line, why: `runs the subflow ${flow.text}` });
  }
  return out;
}

/**
 * What a deploy would do to an org: per-component success or failure messages (with file,
 * line and column), the upserts and deletes to commit, and the Apex the org would hold after.
 * Pure with respect to the store (reads only).
 */
import type { OrgStore } from '../store';
import { checkApex } from './apex';
import { manifestHas, type Manifest } from './package-xml';
import { childTypesOf, contentTypeOfFolder, defaultPath, folderTypeOf, hasMetaFile, isBundle, mainFileName, metadataType } from './registry';
import { checkXml, emptyParent, splitParent, type XmlProblem } from './xml';
import type { DeployPackage, ZipComponent } from './zip-package';
import type { ApexUnit } from './test-runner';

export interface DeployMessage {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Warning' | 'Error';
  success: boolean;
}

export interface Upsert {
  type: string;
  fullName: string;
  files: Record<string, string>;
}

export interface DeployPlan {
  successes: DeployMessage[];
  failures: DeployMessage[];
  /** Warnings that ignoreWarnings=true turns into successes. */
  warnings: DeployMessage[];
  upserts: Upsert[];
  deletes: Array<{ type: string; fullName: string }>;
  /** The Apex the org would hold after the deploy (for tests and coverage). */
  apexAfter: ApexUnit[];
  apexInPackage: boolean;
  /** Package-level error (no package.xml, …): the deploy fails as a whole. */
  packageError?: DeployMessage;
}

/** Standard objects that always exist, so their fields can be deployed to an empty org. */
const STANDARD_OBJECTS = new Set(
  'Account Contact Lead Opportunity Case Campaign CampaignMember Task Event User Product2 Pricebook2 PricebookEntry Order OrderItem Contract Asset Quote Solution Idea Note Attachment ContentVersion Organization Profile OpportunityLineItem Individual Entitlement WorkOrder ServiceContract'.split(
    ' ',
  ),
);

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const encode = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function msg(type: string, fullName: string, fileName: string, now: string, extra: Partial<DeployMessage> = {}): DeployMessage {
  return { changed: false, componentType: type, created: false, createdDate: now, deleted: false, fileName, fullName, success: true, ...extra };
}

function failure(type: string, fullName: string, fileName: string, now: string, p: XmlProblem): DeployMessage {
  return msg(type, fullName, fileName, now, {
    success: false,
    problem: p.problem,
    problemType: 'Error',
    lineNumber: p.line,
    columnNumber: p.column,
  });
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** Files of a component that must be well-formed XML. */
function xmlFiles(c: ZipComponent): string[] {
  const t = metadataType(c.type);
  return Object.keys(c.files).filter((f) => {
    if (f.endsWith('.xml')) return true;
    if (!t || isBundle(t) || hasMetaFile(t)) return false;
    // Types without a separate meta file are XML documents themselves (layouts, flows, reports…).
    return !!t.suffix && f.endsWith(`.${t.suffix}`);
  });
}

export function planDeploy(pkg: DeployPackage, store: OrgStore, now: string): DeployPlan {
  const plan: DeployPlan = { successes: [], failures: [], warnings: [], upserts: [], deletes: [], apexAfter: [], apexInPackage: false };
  if (!pkg.packageXml) {
    plan.packageError = msg('', 'package.xml', 'package.xml', now, { success: false, problem: 'No package.xml found', problemType: 'Error' });
    return plan;
  }
  if (pkg.packageXml.problem) {
    plan.packageError = failure('', 'package.xml', 'package.xml', now, pkg.packageXml.problem);
    return plan;
  }
  const manifest = pkg.packageXml.manifest as Manifest;
  for (const [k, label] of [
    [pkg.destructivePre, 'destructiveChangesPre.xml'],
    [pkg.destructivePost, 'destructiveChanges.xml'],
  ] as const) {
    if (k?.problem) {
      plan.packageError = failure('', label, label, now, k.problem);
      return plan;
    }
  }

  // package.xml: unknown types and members that are not in the zip.
  const available = zipMembers(pkg);
  for (const [type, members] of manifest.types) {
    if (!metadataType(type)) {
      plan.failures.push(
        msg(type, type, 'package.xml', now, { success: false, problemType: 'Error', problem: `Unknown type name '${type}' specified in package.xml` }),
      );
      continue;
    }
    for (const m of members) {
      if (m === '*' || m === '*/' || inZip(available, type, m)) continue;
      plan.failures.push(
        msg(type, m, 'package.xml', now, {
          success: false,
          problemType: 'Error',
          problem: `An object '${m}' of type ${type} was named in package.xml, but was not found in zipped directory`,
        }),
      );
    }
  }

  const upsertKeys = new Set<string>();
  const addUpsert = (u: Upsert, file: string) => {
    const existing = store.getComponent(u.type, u.fullName);
    plan.upserts.push(u);
    upsertKeys.add(`${u.type}\u0000${u.fullName}`);
    plan.successes.push(
      msg(u.type, u.fullName, file, now, {
        id: existing?.id,
        created: !existing,
        changed: !existing || !sameFiles(existing.files, u.files),
      }),
    );
  };

  for (const c of pkg.components) {
    const t = metadataType(c.type);
    if (!t) continue;
    const children = childTypesOf(c.type);
    const parentListed = listed(manifest, c.type, c.fullName);
    const file = mainFileName(c.type, c.fullName, Object.keys(c.files));
    if (children.length === 0 && !parentListed) continue;

    // Well-formed XML first: any bad XML file fails the component.
    const bad = xmlFiles(c)
      .map((f) => ({ f, p: checkXml(decode(c.files[f])) }))
      .find((x) => x.p);
    if (bad) {
      plan.failures.push(failure(c.type, c.fullName, bad.f, now, bad.p!));
      continue;
    }

    if (children.length > 0) {
      planDecomposed(plan, c, file, parentListed, manifest, store, now, addUpsert);
      continue;
    }

    if (c.type === 'ApexClass' || c.type === 'ApexTrigger') {
      const kind = c.type === 'ApexClass' ? 'class' : 'trigger';
      const src = Object.entries(c.files).find(([f]) => !f.endsWith('-meta.xml'));
      const p = src ? checkApex(kind, c.fullName, decode(src[1])) : { line: 1, column: 1, problem: `Missing source file for ${c.fullName}` };
      if (p) {
        plan.failures.push(failure(c.type, c.fullName, src?.[0] ?? file, now, p));
        continue;
      }
      plan.apexInPackage = true;
    }
    addUpsert({ type: c.type, fullName: c.fullName, files: c.files }, file);
  }

  planDestructive(plan, pkg, store, now, upsertKeys);
  plan.apexAfter = apexAfter(store, plan);
  return plan;
}

/** Folders are listed in package.xml under their content type (`Report` `Sales` for the folder). */
function listed(manifest: Manifest, type: string, fullName: string): boolean {
  const content = contentTypeOfFolder(type);
  return manifestHas(manifest, type, fullName) || (!!content && (manifestHas(manifest, content, fullName) || manifestHas(manifest, content, `${fullName}/`)));
}

/** Every (type, fullName) the zip holds, children of decomposed parents included. */
function zipMembers(pkg: DeployPackage): Set<string> {
  const out = new Set<string>();
  for (const c of pkg.components) {
    out.add(`${c.type}\u0000${c.fullName}`);
    const children = childTypesOf(c.type);
    if (children.length === 0) continue;
    const xml = Object.values(c.files)[0];
    if (!xml) continue;
    const byElement = new Map(children.map((ch) => [ch.element, ch]));
    const split = splitParent(decode(xml), new Map(children.map((ch) => [ch.element, ch.idElement])));
    const prefix = metadataType(c.type)?.ignoreParsedFullName ? '' : `${c.fullName}.`;
    for (const ch of split.children) out.add(`${byElement.get(ch.element)!.name}\u0000${prefix}${ch.name}`);
  }
  return out;
}

function inZip(members: Set<string>, type: string, member: string): boolean {
  const name = member.endsWith('/') ? member.slice(0, -1) : member;
  const folderType = folderTypeOf(type);
  return members.has(`${type}\u0000${name}`) || (!!folderType && members.has(`${folderType}\u0000${name}`));
}

function planDecomposed(
  plan: DeployPlan,
  c: ZipComponent,
  file: string,
  parentListed: boolean,
  manifest: Manifest,
  store: OrgStore,
  now: string,
  addUpsert: (u: Upsert, file: string) => void,
): void {
  const children = childTypesOf(c.type);
  const [path, b64] = Object.entries(c.files)[0];
  const xml = decode(b64);
  const split = splitParent(xml, new Map(children.map((ch) => [ch.element, ch.idElement])));
  const ignoreParsedName = metadataType(c.type)?.ignoreParsedFullName === true;
  const chosen = split.children
    .map((ch) => {
      const info = children.find((x) => x.element === ch.element)!;
      return { ...ch, type: info.name, fullName: ignoreParsedName ? ch.name : `${c.fullName}.${ch.name}` };
    })
    .filter((ch) => parentListed || manifestHas(manifest, ch.type, ch.fullName));
  if (!parentListed && chosen.length === 0) return;

  const parentExists =
    !!store.getComponent(c.type, c.fullName) || (c.type === 'CustomObject' && STANDARD_OBJECTS.has(c.fullName)) || c.type !== 'CustomObject';
  if (parentListed) {
    addUpsert({ type: c.type, fullName: c.fullName, files: { [path]: encode(split.parent) } }, file);
  } else if (!parentExists) {
    for (const ch of chosen) {
      plan.failures.push(
        failure(ch.type, ch.fullName, path, now, {
          line: ch.line,
          column: 1,
          problem: `In field: ${ch.name} - no ${c.type} named ${c.fullName} found`,
        }),
      );
    }
    return;
  } else if (!store.getComponent(c.type, c.fullName)) {
    // A container parent (CustomLabels, Workflow…) or a standard object: the org holds an empty one.
    plan.upserts.push({ type: c.type, fullName: c.fullName, files: { [path]: encode(emptyParent(metadataType(c.type)?.name ?? c.type)) } });
  }
  for (const ch of chosen) addUpsert({ type: ch.type, fullName: ch.fullName, files: { 'fragment.xml': encode(ch.xml) } }, path);
}

function planDestructive(plan: DeployPlan, pkg: DeployPackage, store: OrgStore, now: string, upsertKeys: Set<string>): void {
  const lists: Array<[Manifest | undefined, 'pre' | 'post']> = [
    [pkg.destructivePre?.manifest, 'pre'],
    [pkg.destructivePost?.manifest, 'post'],
  ];
  // Deployed then deleted after (post): the delete wins.
  const droppedUpserts = new Set<string>();
  for (const [m, when] of lists) {
    if (!m) continue;
    for (const [type, members] of m.types) {
      for (const fullName of members) {
        const k = `${type}\u0000${fullName}`;
        const existing = store.getComponent(type, fullName);
        const file = existing ? mainFileName(type, fullName, Object.keys(existing.files)) : defaultPath(type, fullName);
        if (!existing && !(when === 'pre' && upsertKeys.has(k))) {
          plan.warnings.push(msg(type, fullName, file, now, { success: false, problemType: 'Warning', problem: `No ${type} named: ${fullName} found` }));
          continue;
        }
        if (when === 'pre' && upsertKeys.has(k)) {
          // Deleted then deployed again: the deploy recreates it.
          plan.successes.push(msg(type, fullName, file, now, { id: existing?.id, deleted: true, changed: true }));
          continue;
        }
        if (when === 'post' && upsertKeys.has(k)) droppedUpserts.add(k);
        plan.deletes.push({ type, fullName });
        plan.successes.push(msg(type, fullName, file, now, { id: existing?.id, deleted: true, changed: true }));
        // Deleting a parent deletes its children.
        for (const ch of childTypesOf(type)) {
          for (const comp of store.listComponents(ch.name)) {
            if (comp.fullName.startsWith(`${fullName}.`)) plan.deletes.push({ type: ch.name, fullName: comp.fullName });
          }
        }
        if (type === 'ApexClass' || type === 'ApexTrigger') plan.apexInPackage = true;
      }
    }
  }
  if (droppedUpserts.size > 0) plan.upserts = plan.upserts.filter((u) => !droppedUpserts.has(`${u.type}\u0000${u.fullName}`));
}

function apexAfter(store: OrgStore, plan: DeployPlan): ApexUnit[] {
  const units = new Map<string, ApexUnit>();
  const add = (type: string, fullName: string, files: Record<string, string>, id: string, inPackage: boolean) => {
    const src = Object.entries(files).find(([f]) => !f.endsWith('-meta.xml'));
    if (!src) return;
    units.set(`${type}\u0000${fullName}`, { name: fullName, kind: type === 'ApexClass' ? 'class' : 'trigger', source: decode(src[1]), id, inPackage });
  };
  for (const type of ['ApexClass', 'ApexTrigger']) for (const c of store.listComponents(type)) add(type, c.fullName, c.files, c.id, false);
  for (const u of plan.upserts) {
    if (u.type === 'ApexClass' || u.type === 'ApexTrigger') add(u.type, u.fullName, u.files, store.getComponent(u.type, u.fullName)?.id ?? '', true);
  }
  for (const d of plan.deletes) units.delete(`${d.type}\u0000${d.fullName}`);
  return [...units.values()];
}

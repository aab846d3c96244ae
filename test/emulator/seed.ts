/**
 * Deterministic, realistic metadata for emulated orgs. The first org is the base; every other
 * org is a sibling that differs from it in known ways (some components edited, some only in the
 * base, some only in the sibling), which `seedDifferences` returns so compare tests can assert
 * exactly them.
 */
import { prng } from './ids';
import { idPrefixForType, type StoredComponent } from './store';
import type { EmulatedOrg } from './org';
import * as C from './metadata/seed-content';
import type { SeedComponent } from './metadata/seed-content';

export interface SeedOptions {
  seed: number;
  /** Components in the base org. */
  components: number;
}

export interface ComponentRef {
  type: string;
  fullName: string;
}

export interface SeedDifferences {
  /** In both orgs with different content. */
  changed: ComponentRef[];
  /** Only in the base org (index 0). */
  onlyInBase: ComponentRef[];
  /** Only in this sibling. */
  onlyInSibling: ComponentRef[];
}

/** Types a sibling may lack without breaking anything else in it. */
const REMOVABLE = new Set(['ApexPage', 'Flow', 'FlexiPage', 'CustomLabel', 'CustomField', 'LightningComponentBundle', 'Layout', 'StaticResource', 'PermissionSet', 'Report', 'EmailTemplate', 'ListView']);
const UNCHANGEABLE = new Set(['CustomLabels', 'EmailFolder', 'ReportFolder', 'DashboardFolder']);

/** The base org's components for a seed, exactly `components` of them (at least the fixed ones). */
export function baseComponents(seed: number, components: number): SeedComponent[] {
  const rnd = prng(seed);
  const offset = Math.floor(rnd() * C.NOUNS.length);
  const out: SeedComponent[] = [
    C.customLabelsParent(),
    C.folder('email', 'Sales_Templates', 'Sales Templates'),
    C.folder('reports', 'Sales_Reports', 'Sales Reports'),
    C.folder('dashboards', 'Sales_Dashboards', 'Sales Dashboards'),
    ...C.customObject('App_Config__mdt', 'App Config', 0, rnd, true),
    { type: 'CustomField', fullName: 'App_Config__mdt.Value__c', files: { 'fragment.xml': C.fieldFragment('Value__c', 'Value', 0) } },
  ];
  const objects: string[] = [];
  for (let k = 0; out.length < components; k++) {
    const noun = C.NOUNS[(k + offset) % C.NOUNS.length];
    const lower = noun.charAt(0).toLowerCase() + noun.slice(1);
    const obj = objects[objects.length - 1] ?? 'Account';
    switch (k % 12) {
      case 0:
        // Every service class comes with its test (a production org meets the 75 % coverage rule).
        // The draw that once chose whether it had one is kept, so the rest of the seed stays the same.
        if (k % 24 !== 0) rnd();
        out.push(...C.apexPair(noun, k, obj));
        break;
      case 1: {
        const name = `${noun}${k}__c`;
        objects.push(name);
        out.push(...C.customObject(name, `${noun} ${k}`, 3 + Math.floor(rnd() * 4), rnd), C.layout(name, `${noun} ${k}`), C.tab(name));
        break;
      }
      case 2:
        // On the object this cycle's test class inserts (the one before the object just made), so it is covered.
        out.push(C.apexTrigger(`${noun}Trigger${k}`, objects[objects.length - 2] ?? 'Account'));
        break;
      case 3:
        out.push(C.apexPage(`${noun}Page${k}`, `${noun} overview ${k}`));
        break;
      case 4:
        out.push(C.lwc(`${lower}Card${k}`, `${noun} card ${k}`));
        break;
      case 5:
        out.push(C.flow(`${noun}_Flow_${k}`, `${noun} flow ${k}`));
        break;
      case 6:
        out.push(C.flexiPage(`${noun}_Home_${k}`, `${noun} home ${k}`));
        break;
      case 7:
        for (let j = 0; j < 3; j++) out.push(C.customLabel(`${noun}_Label_${k}_${j}`, `${noun} message ${k}.${j}`));
        break;
      case 8:
        out.push(C.staticResource(`${noun}Data${k}`, `${noun} reference data ${k}\n${Math.floor(rnd() * 1e9)}\n`), C.aura(`${lower}Panel${k}`, `${noun} panel ${k}`));
        break;
      case 9:
        out.push(C.permissionSet(`${noun}_Access_${k}`, `${noun} Access ${k}`, obj));
        break;
      case 10:
        out.push(
          C.emailTemplate('Sales_Templates', `${noun}_Notice_${k}`, `${noun} update ${k}`),
          C.report('Sales_Reports', `${noun}_Report_${k}`, obj),
          C.dashboard('Sales_Dashboards', `${noun}_Dashboard_${k}`, `${noun} dashboard ${k}`),
          C.customMetadataRecord('App_Config', `${noun}_${k}`, `${Math.floor(rnd() * 1000)}`),
        );
        break;
      default:
        if (k % 48 === 11) out.push(C.profile(`${noun} Manager ${k}`));
        else out.push(C.application(`${noun}_App_${k}`, `${noun} App ${k}`, objects.slice(-3)));
    }
  }
  return out.slice(0, Math.max(components, 0));
}

function plan(seed: number, components: number, orgIndex: number): { base: SeedComponent[]; diff: SeedDifferences; added: SeedComponent[] } {
  const base = baseComponents(seed, components);
  const diff: SeedDifferences = { changed: [], onlyInBase: [], onlyInSibling: [] };
  if (orgIndex <= 0) return { base, diff, added: [] };
  const rnd = prng(seed * 7919 + orgIndex * 104729);
  const order = base.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nChanged = Math.max(2, Math.floor(base.length * 0.03));
  const nRemoved = Math.max(1, Math.floor(base.length * 0.02));
  const nAdded = Math.max(1, Math.floor(base.length * 0.02));
  for (const i of order) {
    const c = base[i];
    if (diff.onlyInBase.length < nRemoved && REMOVABLE.has(c.type)) diff.onlyInBase.push({ type: c.type, fullName: c.fullName });
    else if (diff.changed.length < nChanged && !UNCHANGEABLE.has(c.type)) diff.changed.push({ type: c.type, fullName: c.fullName });
    if (diff.onlyInBase.length >= nRemoved && diff.changed.length >= nChanged) break;
  }
  const added: SeedComponent[] = [];
  const objects = base.filter((c) => c.type === 'CustomObject' && c.fullName.endsWith('__c')).map((c) => c.fullName);
  for (let j = 0; added.length < nAdded; j++) {
    const noun = C.NOUNS[(j + orgIndex) % C.NOUNS.length];
    const tag = `${orgIndex}_${j}`;
    switch (j % 4) {
      case 0:
        added.push(C.apexClass(`${noun}Helper${tag}`, `public class ${noun}Helper${tag} {\n    public static Boolean enabled() {\n        return true;\n    }\n}\n`));
        break;
      case 1:
        added.push(C.customLabel(`${noun}_New_Label_${tag}`, `${noun} new label ${tag}`));
        break;
      case 2:
        added.push(C.lwc(`${noun.toLowerCase()}Tile${tag}`, `${noun} tile ${tag}`));
        break;
      default: {
        const obj = objects[j % Math.max(1, objects.length)];
        if (obj) added.push({ type: 'CustomField', fullName: `${obj}.Extra_${tag}__c`, files: { 'fragment.xml': C.fieldFragment(`Extra_${tag}__c`, `Extra ${tag}`, j) } });
        else added.push(C.flow(`${noun}_New_Flow_${tag}`, `${noun} new flow ${tag}`));
      }
    }
  }
  diff.onlyInSibling = added.map((c) => ({ type: c.type, fullName: c.fullName }));
  return { base, diff, added };
}

/** The known differences between sibling `orgIndex` and the base org (empty for the base). */
export function seedDifferences(seed: number, components: number, orgIndex: number): SeedDifferences {
  return plan(seed, components, orgIndex).diff;
}

/** The components org `orgIndex` holds after seeding (text content). */
export function seedComponents(seed: number, components: number, orgIndex: number): SeedComponent[] {
  const { base, diff, added } = plan(seed, components, orgIndex);
  const key = (r: ComponentRef) => `${r.type}\u0000${r.fullName}`;
  const removed = new Set(diff.onlyInBase.map(key));
  const changed = new Set(diff.changed.map(key));
  const out: SeedComponent[] = [];
  for (const c of base) {
    if (removed.has(key(c))) continue;
    out.push(changed.has(key(c)) ? C.editComponent(c, `Changed in org ${orgIndex}`) : c);
  }
  return [...out, ...added];
}

const BASE_TIME = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Fills each org with its seeded components (ids, dates and authors stamped deterministically). */
export function seedOrgs(orgs: EmulatedOrg[], opts: SeedOptions): void {
  orgs.forEach((org, orgIndex) => {
    const { diff } = plan(opts.seed, opts.components, orgIndex);
    const changed = new Set(diff.changed.map((r) => `${r.type}\u0000${r.fullName}`));
    const admin = org.admin.id;
    const other = org.users[1]?.id ?? admin;
    const stored: StoredComponent[] = seedComponents(opts.seed, opts.components, orgIndex).map((c, i) => {
      const created = new Date(BASE_TIME + i * 37 * 60_000);
      const edited = changed.has(`${c.type}\u0000${c.fullName}`);
      const modified = edited ? new Date(BASE_TIME + 200 * 86_400_000 + i * 60_000) : new Date(created.getTime() + (i % 5) * 86_400_000);
      return {
        type: c.type,
        fullName: c.fullName,
        id: org.store.ids.next(idPrefixForType(c.type)),
        files: Object.fromEntries(Object.entries(c.files).map(([p, t]) => [p, Buffer.from(t, 'utf8').toString('base64')])),
        createdDate: created.toISOString(),
        createdById: admin,
        lastModifiedDate: modified.toISOString(),
        lastModifiedById: edited || i % 3 === 0 ? other : admin,
      };
    });
    org.store.loadComponents(stored);
  });
}

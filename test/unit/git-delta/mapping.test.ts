/**
 * The git path → component mapping for each kind, by SDR's resolver over two commits' file lists
 * (no checkout): a single file, a bundle member, a decomposed object's field, a static resource
 * folder's file, a deletion, a rename.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseNameStatus, planDelta } from '../../../src/core/git-delta';
import { componentKey } from '../../../src/core/metadata-types';
import { gitDeltaSides } from '../../../src/salesforce/metadata/git-components';

const D = 'force-app/main/default';
const ROOT = path.resolve('/repo');

const BASE = [
  'sfdx-project.json',
  'README.md',
  `${D}/classes/Greeter.cls`,
  `${D}/classes/Greeter.cls-meta.xml`,
  `${D}/classes/Old.cls`,
  `${D}/classes/Old.cls-meta.xml`,
  `${D}/lwc/tile/tile.js`,
  `${D}/lwc/tile/tile.html`,
  `${D}/lwc/tile/tile.css`,
  `${D}/lwc/tile/tile.js-meta.xml`,
  `${D}/aura/Banner/Banner.cmp`,
  `${D}/aura/Banner/Banner.cmp-meta.xml`,
  `${D}/aura/Banner/BannerController.js`,
  `${D}/objects/Account/fields/Tier__c.field-meta.xml`,
  `${D}/objects/Account/fields/Gone__c.field-meta.xml`,
  `${D}/objects/Invoice__c/Invoice__c.object-meta.xml`,
  `${D}/objects/Invoice__c/fields/Amount__c.field-meta.xml`,
  `${D}/objects/Invoice__c/listViews/All.listView-meta.xml`,
  `${D}/staticresources/brand.resource-meta.xml`,
  `${D}/staticresources/brand/css/brand.css`,
  `${D}/staticresources/brand/logo.svg`,
  `${D}/staticresources/jquery.resource-meta.xml`,
  `${D}/staticresources/jquery.js`,
];

/** The delta of `diff` (name-status -z) from BASE to BASE changed by `add`/`remove`. */
function delta(diff: string, add: string[] = [], remove: string[] = []) {
  const to = BASE.filter((p) => !remove.includes(p)).concat(add);
  return planDelta(parseNameStatus(diff), gitDeltaSides({ root: ROOT, fromPaths: BASE, toPaths: to }));
}
const deployed = (p: ReturnType<typeof delta>) => p.deploy.map(componentKey);
const deleted = (p: ReturnType<typeof delta>) => p.destroy.map(componentKey);

describe('git delta: which component a changed path deploys or deletes (SDR resolver over the commits)', () => {
  it('a single-file component: the class body or its -meta.xml deploys the class, with both files', () => {
    for (const f of [`${D}/classes/Greeter.cls`, `${D}/classes/Greeter.cls-meta.xml`]) {
      const p = delta(`M\0${f}\0`);
      assert.deepEqual(deployed(p), ['ApexClass:Greeter'], f);
      assert.deepEqual(p.deploy[0].files, [`${D}/classes/Greeter.cls`, `${D}/classes/Greeter.cls-meta.xml`]);
      assert.deepEqual(deleted(p), []);
    }
  });

  it('a bundle member deploys the whole bundle (LWC and Aura)', () => {
    const lwc = delta(`M\0${D}/lwc/tile/tile.html\0`);
    assert.deepEqual(deployed(lwc), ['LightningComponentBundle:tile']);
    assert.deepEqual(lwc.deploy[0].files, [`${D}/lwc/tile/tile.css`, `${D}/lwc/tile/tile.html`, `${D}/lwc/tile/tile.js`, `${D}/lwc/tile/tile.js-meta.xml`]);
    const aura = delta(`M\0${D}/aura/Banner/BannerController.js\0`);
    assert.deepEqual(deployed(aura), ['AuraDefinitionBundle:Banner']);
    assert.equal(aura.deploy[0].files.length, 3);
  });

  it("a decomposed object's field deploys that field only, not the object", () => {
    const p = delta(`M\0${D}/objects/Invoice__c/fields/Amount__c.field-meta.xml\0`);
    assert.deepEqual(deployed(p), ['CustomField:Invoice__c.Amount__c']);
    assert.deepEqual(p.deploy[0].files, [`${D}/objects/Invoice__c/fields/Amount__c.field-meta.xml`]);
    const view = delta(`M\0${D}/objects/Invoice__c/listViews/All.listView-meta.xml\0`);
    assert.deepEqual(deployed(view), ['ListView:Invoice__c.All']);
  });

  it("the object's own file deploys the object without its children's files", () => {
    const p = delta(`M\0${D}/objects/Invoice__c/Invoice__c.object-meta.xml\0`);
    assert.deepEqual(deployed(p), ['CustomObject:Invoice__c']);
    assert.deepEqual(p.deploy[0].files, [`${D}/objects/Invoice__c/Invoice__c.object-meta.xml`]);
  });

  it("a file in a static resource folder deploys the resource with all its folder's files", () => {
    const p = delta(`M\0${D}/staticresources/brand/css/brand.css\0`);
    assert.deepEqual(deployed(p), ['StaticResource:brand']);
    assert.deepEqual(p.deploy[0].files, [`${D}/staticresources/brand.resource-meta.xml`, `${D}/staticresources/brand/css/brand.css`, `${D}/staticresources/brand/logo.svg`]);
    assert.deepEqual(deployed(delta(`M\0${D}/staticresources/jquery.js\0`)), ['StaticResource:jquery'], 'a single-file resource too');
  });

  it('deleting a whole component deletes it: a class (both files), a field', () => {
    const cls = delta(`D\0${D}/classes/Greeter.cls\0D\0${D}/classes/Greeter.cls-meta.xml\0`, [], [`${D}/classes/Greeter.cls`, `${D}/classes/Greeter.cls-meta.xml`]);
    assert.deepEqual(deleted(cls), ['ApexClass:Greeter']);
    assert.deepEqual(deployed(cls), []);
    const field = delta(`D\0${D}/objects/Account/fields/Gone__c.field-meta.xml\0`, [], [`${D}/objects/Account/fields/Gone__c.field-meta.xml`]);
    assert.deepEqual(deleted(field), ['CustomField:Account.Gone__c']);
  });

  it('deleting one file of a bundle or of a resource folder deploys what is left, deleting nothing', () => {
    const css = `${D}/lwc/tile/tile.css`;
    const lwc = delta(`D\0${css}\0`, [], [css]);
    assert.deepEqual(deployed(lwc), ['LightningComponentBundle:tile']);
    assert.ok(!lwc.deploy[0].files.includes(css));
    assert.deepEqual(deleted(lwc), []);
    const logo = `${D}/staticresources/brand/logo.svg`;
    const res = delta(`D\0${logo}\0`, [], [logo]);
    assert.deepEqual(deployed(res), ['StaticResource:brand']);
    assert.deepEqual(deleted(res), []);
  });

  it('a rename deletes the old component and deploys the new one', () => {
    const p = delta(
      `R100\0${D}/classes/Old.cls\0${D}/classes/New.cls\0R100\0${D}/classes/Old.cls-meta.xml\0${D}/classes/New.cls-meta.xml\0`,
      [`${D}/classes/New.cls`, `${D}/classes/New.cls-meta.xml`],
      [`${D}/classes/Old.cls`, `${D}/classes/Old.cls-meta.xml`],
    );
    assert.deepEqual(deployed(p), ['ApexClass:New']);
    assert.deepEqual(deleted(p), ['ApexClass:Old']);
    assert.equal(p.changes.find((c) => c.kind === 'deleted')?.renamedTo, `${D}/classes/New.cls`);
  });

  it('a field moved to another object (a rename across folders) deletes the old field and deploys the new one', () => {
    const p = delta(
      `R100\0${D}/objects/Account/fields/Tier__c.field-meta.xml\0${D}/objects/Invoice__c/fields/Tier__c.field-meta.xml\0`,
      [`${D}/objects/Invoice__c/fields/Tier__c.field-meta.xml`],
      [`${D}/objects/Account/fields/Tier__c.field-meta.xml`],
    );
    assert.deepEqual(deployed(p), ['CustomField:Invoice__c.Tier__c']);
    assert.deepEqual(deleted(p), ['CustomField:Account.Tier__c']);
  });

  it('files outside any metadata type are no component', () => {
    const p = delta(`M\0README.md\0M\0sfdx-project.json\0`);
    assert.deepEqual(p.deploy, []);
    assert.deepEqual(p.ignored, ['README.md', 'sfdx-project.json']);
  });
});

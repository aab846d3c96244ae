/**
 * "Send to Production…" instead of "Send to Next Environment…" on rows whose next stage is
 * production: the tree's contextValue suffix, and package.json's menus showing exactly one of the
 * two commands on each row Send is offered on (and the other menus still matching the rows).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { offersSend, sendHint, sendsToProduction, withNothingToSend, withSendTarget } from '../../../src/views/sendTarget';
import { pipeline, THREE } from '../promotion/fixtures';

type MenuItem = { command: string; when?: string };
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]>; commands: Array<{ command: string; title: string }> } };
const itemMenu = manifest.contributes.menus['view/item/context'];

/** Evaluates the `viewItem` part of a tree `when` clause (== or =~ /re/, joined by &&) for a contextValue. */
function shows(when: string, contextValue: string): boolean {
  return when
    .split('&&')
    .map((t) => t.trim())
    .filter((t) => t.startsWith('viewItem'))
    .every((t) => {
      const eq = /^viewItem == (\S+)$/.exec(t);
      if (eq) return eq[1] === contextValue;
      const re = /^viewItem =~ \/(.*)\/$/.exec(t);
      if (re) return new RegExp(re[1]).test(contextValue);
      throw new Error(`unexpected clause ${t}`);
    });
}
const commandsOn = (contextValue: string) => itemMenu.filter((m) => m.when && shows(m.when, contextValue)).map((m) => m.command);
const SEND = 'changeline.sendToNext';
const TO_PROD = 'changeline.sendToProduction';

describe('views: which Send a row offers', () => {
  it('an environment whose only next stage is production sends to production; one below it does not; production sends nowhere', () => {
    const p = THREE();
    assert.equal(sendsToProduction(p, 'UAT'), true);
    assert.equal(sendsToProduction(p, 'Dev'), false);
    assert.equal(sendsToProduction(p, 'Production'), false);
    const single = pipeline([{ name: 'Sandbox', role: 'development' }, { name: 'Prod', role: 'production' }]);
    assert.equal(sendsToProduction(single, 'Sandbox'), true, 'one environment besides production sends straight to it');
  });

  it('adds .toProduction only to the rows Send is offered on, in an environment that sends to production', () => {
    const p = THREE();
    assert.equal(withSendTarget('environment.connected', 'UAT', p), 'environment.connected.toProduction');
    assert.equal(withSendTarget('environment', 'UAT', p), 'environment.toProduction');
    assert.equal(withSendTarget('environment.connected.behind', 'UAT', p), 'environment.connected.behind.toProduction');
    assert.equal(withSendTarget('changeRequest.approved', 'UAT', p), 'changeRequest.approved.toProduction');
    assert.equal(withSendTarget('deployment.deployed', 'UAT', p), 'deployment.deployed.toProduction');
    assert.equal(withSendTarget('changeRequest.draft', 'UAT', p), 'changeRequest.draft', 'a draft is not sent');
    assert.equal(withSendTarget('deploymentQueue', 'UAT', p), 'deploymentQueue');
    assert.equal(withSendTarget('environment.connected', 'Dev', p), 'environment.connected');
    assert.equal(withSendTarget('changeRequest.approved', 'Dev', p), 'changeRequest.approved');
    assert.equal(withSendTarget('environment.connected', 'UAT', undefined), 'environment.connected', 'no pipeline: unchanged');
  });

  it('package.json: each sendable row shows exactly one of Send to Next Environment… and Send to Production…', () => {
    assert.equal(manifest.contributes.commands.find((c) => c.command === TO_PROD)?.title, 'Send to Production…');
    const p = THREE();
    for (const base of ['environment.connected', 'environment.expired', 'environment.connected.behind', 'changeRequest.approved', 'deployment.approved', 'deployment.deployed', 'deployment.completed']) {
      const dev = commandsOn(withSendTarget(base, 'Dev', p)!);
      const uat = commandsOn(withSendTarget(base, 'UAT', p)!);
      assert.ok(dev.includes(SEND) && !dev.includes(TO_PROD), `${base} in Dev: ${dev.join(', ')}`);
      assert.ok(uat.includes(TO_PROD) && !uat.includes(SEND), `${base} in UAT: ${uat.join(', ')}`);
    }
    for (const base of ['changeRequest.draft', 'deployment.failed', 'deploymentQueue']) {
      assert.ok(!commandsOn(withSendTarget(base, 'UAT', p)!).some((c) => c === SEND || c === TO_PROD), `${base} offers no Send`);
    }
  });

  it('package.json: an environment behind the one above it offers Back Deploy… inline and next to Send, once in its menu', () => {
    const BACK = 'changeline.backDeploy';
    const menus = (cv: string) => itemMenu.filter((m) => m.command === BACK && m.when && shows(m.when, cv)).map((m) => (m as MenuItem & { group?: string }).group);
    assert.deepEqual(menus('environment.connected'), ['4_compare@2']);
    assert.deepEqual(menus('environment.connected.behind'), ['5_send@0', 'inline']);
    assert.deepEqual(menus('environment.connected.behind.toProduction'), ['5_send@0', 'inline']);
  });

  it('package.json: the other commands of a row still show when the suffix is added', () => {
    const p = THREE();
    for (const base of ['environment.connected', 'changeRequest.approved', 'deployment.approved', 'deployment.deployed', 'deployment.completed']) {
      const without = commandsOn(base).filter((c) => c !== SEND);
      const withSuffix = commandsOn(withSendTarget(base, 'UAT', p)!).filter((c) => c !== TO_PROD);
      assert.deepEqual(withSuffix, without, base);
      assert.ok(without.length > 0, `${base} has other commands`);
    }
  });

  it('package.json: a row with nothing to send keeps its menus, and Send is greyed by the commands\' enablement (not hidden)', () => {
    const p = THREE();
    // The enablement clause, as `!(viewItem =~ /re/)`, evaluated for a contextValue (undefined: not a tree row).
    const enabled = (command: string, cv: string | undefined) => {
      const clause = (manifest.contributes.commands as Array<{ command: string; enablement?: string }>).find((c) => c.command === command)?.enablement ?? '';
      const m = /^!\(viewItem =~ \/(.*)\/\)$/.exec(clause);
      assert.ok(m, `${command} has the enablement clause: ${clause}`);
      return cv === undefined ? true : !new RegExp(m[1]).test(cv);
    };
    for (const base of ['environment.connected', 'environment.connected.behind', 'changeRequest.approved', 'deployment.approved', 'deployment.deployed', 'deployment.completed']) {
      for (const env of ['Dev', 'UAT']) {
        const plain = withSendTarget(base, env, p)!;
        const marked = withNothingToSend(plain);
        assert.match(marked, /\.unchanged/);
        assert.deepEqual(commandsOn(marked), commandsOn(plain), `${marked} shows the same commands as ${plain}`);
        const send = env === 'Dev' ? SEND : TO_PROD;
        assert.ok(commandsOn(marked).includes(send), `${marked} still lists Send`);
        assert.equal(enabled(send, marked), false, `${marked}: Send greyed`);
        assert.equal(enabled(send, plain), true, `${plain}: Send enabled`);
      }
    }
    assert.equal(withNothingToSend('environment.connected.toProduction'), 'environment.connected.unchanged.toProduction');
    assert.equal(withNothingToSend(withNothingToSend('changeRequest.approved')), 'changeRequest.approved.unchanged');
    assert.equal(enabled(SEND, undefined), true, 'run from elsewhere (a panel, a test): not restricted');
  });

  it('the tooltip names where Send goes, since the menu title cannot', () => {
    const p = THREE();
    assert.equal(sendHint(p, 'Dev'), "Send to Next Environment… sends to UAT's deployment queue.");
    assert.equal(sendHint(p, 'UAT'), "Send to Production… sends to Production's deployment queue.");
    assert.equal(sendHint(p, 'Production'), undefined);
    const two = pipeline(
      [
        { name: 'Dev', role: 'development', next: 'UAT' },
        { name: 'UAT', role: 'staging', next: 'Production' },
        { name: 'Perf', role: 'staging', next: 'Production' },
        { name: 'Production', role: 'production' },
      ],
      [{ from: 'Dev', to: 'Perf' }],
    );
    assert.equal(sendHint(two, 'Dev'), 'Send to Next Environment… asks where: UAT or Perf.');
    assert.deepEqual(['environment.connected', 'changeRequest.approved', 'deployment.deployed', 'changeRequest.draft', 'deploymentQueue'].map(offersSend), [true, true, true, false, false]);
  });
});

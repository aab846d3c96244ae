/** The latest validation and deploy: status, components n/N, tests n/N with failures and stacks, coverage with the 75% rule. */
import type { PanelState, RunView } from '../../shared/deploymentProtocol';
import { when, type Section } from './app';
import { h } from '../changeRequest/dom';

function run(r: RunView, prefix: string): HTMLElement[] {
  const out: HTMLElement[] = [];
  const verdict = r.success === undefined ? '' : r.success ? 'good' : 'bad';
  out.push(
    h(
      'p',
      { testid: `${prefix}-status` },
      h('strong', { class: verdict }, r.status),
      ` · ${r.id}${r.quickDeployOf ? ` (quick deploy of ${r.quickDeployOf})` : ''} · by ${r.by || 'unknown'} · started ${when(r.startedAt)}${r.completedAt ? ` · finished ${when(r.completedAt)}` : ''}${r.testLevel ? ` · ${r.testLevel}` : ''}`,
    ),
  );
  const counts: string[] = [];
  if (r.components) counts.push(`Components ${r.components.done}/${r.components.total}${r.components.errors ? `, ${r.components.errors} errors` : ''}`);
  if (r.tests) counts.push(`Tests ${r.tests.run - r.tests.failed}/${r.tests.run} passed${r.tests.failed ? `, ${r.tests.failed} failed` : ''}`);
  if (counts.length) out.push(h('p', { testid: `${prefix}-counts` }, counts.join(' · ')));
  if (r.errorMessage) out.push(h('div', { class: 'banner error' }, r.errorMessage));
  if (r.componentFailures.length) {
    out.push(
      h('h3', {}, 'Component errors'),
      h(
        'ul',
        { testid: `${prefix}-component-failures` },
        ...r.componentFailures.map((f) => h('li', {}, h('strong', {}, f.component), f.where ? h('span', { class: 'meta' }, ` ${f.where}`) : undefined, ` — ${f.problem}`)),
      ),
    );
  }
  if (r.testFailures.length) {
    out.push(
      h('h3', {}, 'Test failures'),
      h(
        'ul',
        { testid: `${prefix}-test-failures` },
        ...r.testFailures.map((t) => h('li', {}, h('strong', {}, t.test), ` — ${t.message}`, t.stack ? h('pre', { class: 'stack' }, t.stack) : undefined)),
      ),
    );
  }
  if (r.coverage) {
    const c = r.coverage;
    out.push(h('h3', {}, 'Code coverage'), h('p', { testid: `${prefix}-coverage-org` }, c.orgWide !== undefined ? `Org-wide: ${c.orgWide}` : 'Org-wide: not reported'));
    if (c.explanation) out.push(h('div', { class: 'banner warning', testid: `${prefix}-coverage-rule` }, c.explanation));
    if (c.rows.length) {
      out.push(
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { testid: `${prefix}-coverage` },
            h('thead', {}, h('tr', {}, h('th', {}, 'Class or trigger'), h('th', {}, 'Type'), h('th', {}, 'Covered'))),
            h('tbody', {}, ...c.rows.map((row) => h('tr', {}, h('td', {}, row.name), h('td', {}, row.type), h('td', { class: row.failing ? 'bad' : undefined }, row.percent)))),
          ),
        ),
      );
    }
  }
  return out;
}

export function runsSection(): Section {
  const validation = h('div', { testid: 'dep-validation' });
  const deploy = h('div', { testid: 'dep-deploy' });
  const el = h('section', {}, h('h2', {}, 'Validation'), validation, h('h2', {}, 'Deploy'), deploy);
  return {
    el,
    update(s: PanelState) {
      validation.replaceChildren(...(s.validation ? run(s.validation, 'dep-validation') : [h('p', { class: 'empty' }, 'Not validated yet.')]));
      deploy.replaceChildren(...(s.deploy ? run(s.deploy, 'dep-deploy') : [h('p', { class: 'empty' }, 'Not deployed yet.')]));
    },
  };
}

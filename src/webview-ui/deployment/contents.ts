/** What the record deploys: its components (with markers), its package's files, and the dependency check. */
import type { PanelState } from '../../shared/deploymentProtocol';
import { when, type App, type Section } from './app';
import { h } from '../changeRequest/dom';

export function componentsSection(): Section {
  const body = h('tbody', { testid: 'dep-components' });
  const el = h('section', {}, h('h2', {}, 'Components'), h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, 'Name'))), body)));
  return {
    el,
    update(s: PanelState) {
      body.replaceChildren(
        ...(s.components.length
          ? s.components.map((c) =>
              h(
                'tr',
                { testid: 'dep-component', 'data-marker': c.marker },
                h('td', {}, c.type),
                h('td', {}, c.fullName, c.marker ? h('span', { class: `marker ${c.marker}`, title: c.marker === 'proposed' ? 'A proposed customization of the change request: not in the source environment yet.' : 'The package has no file of this component.' }, c.marker) : undefined),
              ),
            )
          : [h('tr', {}, h('td', { class: 'empty', colSpan: 2 }, 'No components.'))]),
      );
    },
  };
}

function size(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function packageSection(app: App): Section {
  const meta = h('p', { class: 'meta', testid: 'dep-package-meta' });
  const problem = h('div', { class: 'banner error', testid: 'dep-package-problem', hidden: true });
  const changed = h('div', { class: 'banner warning', testid: 'dep-package-changed', hidden: true });
  const body = h('tbody', { testid: 'dep-package-files' });
  const table = h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'File'), h('th', {}, 'Component'), h('th', {}, 'Size'), h('th', {}, ''))), body));
  const el = h('section', { testid: 'dep-package' }, h('h2', {}, 'Package'), meta, problem, changed, table);
  return {
    el,
    update(s: PanelState) {
      const p = s.package;
      table.hidden = !p || !p.files.length;
      problem.hidden = !p?.problem;
      problem.textContent = p?.problem ?? '';
      changed.hidden = !p?.changed.length;
      changed.textContent = p?.changed.length ? `The stored package differs from what was retrieved in ${p.changed.length} file(s): ${p.changed.slice(0, 5).join(', ')}. Retrieve it again.` : '';
      if (!p) {
        meta.textContent = 'No package yet: Retrieve Selected Customizations builds it from the source environment and keeps it with the record in the org.';
        body.replaceChildren();
        return;
      }
      meta.textContent = `Retrieved ${when(p.retrievedAt)} by ${p.retrievedBy || 'unknown'} · ${p.componentCount} component${p.componentCount === 1 ? '' : 's'}${p.fileCount !== undefined ? ` · ${p.fileCount} files` : ''}`;
      const rows = p.files.map((f) => {
        const open = h('button', { class: 'link', testid: 'dep-file-open', title: 'Open read-only' }, f.path);
        open.addEventListener('click', () => app.post({ type: 'openFile', path: f.path }));
        const diff = f.diffable ? h('button', { class: 'link', testid: 'dep-file-diff' }, `Diff with ${s.header.target}`) : undefined;
        diff?.addEventListener('click', () => app.post({ type: 'diffFile', path: f.path }));
        return h('tr', { testid: 'dep-package-file' }, h('td', {}, open), h('td', {}, f.component ?? ''), h('td', {}, size(f.size)), h('td', {}, diff));
      });
      if (p.moreFiles) rows.push(h('tr', {}, h('td', { class: 'empty', colSpan: 4 }, `and ${p.moreFiles} more files`)));
      body.replaceChildren(...rows);
    },
  };
}

export function dependenciesSection(): Section {
  const meta = h('p', { class: 'meta', testid: 'dep-dependencies-meta' });
  const list = h('ul', { testid: 'dep-dependencies' });
  const el = h('section', {}, h('h2', {}, 'Dependencies'), meta, list);
  return {
    el,
    update(s: PanelState) {
      const d = s.dependencies;
      if (!d) {
        meta.textContent = 'Not checked yet.';
        list.replaceChildren();
        return;
      }
      meta.textContent =
        `${d.missing === 0 ? 'Nothing missing' : `${d.missing} missing ${d.missing === 1 ? 'reference' : 'references'} (neither in the package nor in ${s.header.target})`}` +
        ` · checked ${when(d.at)} by ${d.by || 'unknown'} · ${d.basis ?? d.sources.join(' and ')}`;
      list.replaceChildren(...(d.items ?? []).map((i) => h('li', {}, `${i.component}`, h('span', { class: 'meta' }, ` — needed by ${i.referencedBy}`))));
    },
  };
}

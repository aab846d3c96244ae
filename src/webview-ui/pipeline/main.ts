/**
 * The pipeline webview: says `ready`, receives the pipeline as data, and draws the environments
 * as boxes in stage columns with SVG arrows for the promotion connections (back-promotion from
 * production as a line under the board). Every part of a box is a button that asks the host to
 * open the matching view. Org data goes in as text only. Keeps `{ view: 'pipeline' }` with
 * setState so the panel comes back after a reload.
 */
import '@vscode-elements/elements';
import type { BoxPart, FromWebview, PipelineBox, PipelineViewState, ToWebview, WebviewState } from '../../shared/pipelineProtocol';
import { button, h } from '../changeRequest/dom';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  setState(s: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
vscode.setState({ view: 'pipeline' });
let state: PipelineViewState | undefined;
const SVG = 'http://www.w3.org/2000/svg';

function part(p: BoxPart, testid: string, onClick?: () => void): HTMLElement {
  const el = h(onClick ? 'button' : 'div', { class: `part tone-${p.tone}${onClick ? '' : ' static'}`, testid, title: p.detail ?? '' }, p.text);
  if (onClick) el.addEventListener('click', onClick);
  return el;
}

function box(b: PipelineBox): HTMLElement {
  const open = (target: 'crs' | 'queue' | 'last') => () => vscode.postMessage({ type: 'open', environment: b.name, target });
  return h(
    'div',
    { class: 'box', testid: `pipeline-box-${b.name}`, 'data-env': b.name },
    h('h2', {}, b.name),
    h('p', { class: 'sub' }, `${b.role} · ${b.org}`),
    part(b.connection, `pipeline-connection-${b.name}`),
    part(b.crs, `pipeline-crs-${b.name}`, open('crs')),
    part(b.queue, `pipeline-queue-${b.name}`, open('queue')),
    ...b.behind.map((x) => part(x, `pipeline-behind-${b.name}-${x.upper}`, () => vscode.postMessage({ type: 'open', environment: b.name, target: 'behind', upper: x.upper }))),
    part(b.last, `pipeline-last-${b.name}`, open('last')),
  );
}

function drawArrows(board: HTMLElement, s: PipelineViewState): void {
  board.querySelector('svg.arrows')?.remove();
  const origin = board.getBoundingClientRect();
  const boxes = new Map<string, DOMRect>();
  for (const el of board.querySelectorAll<HTMLElement>('.box')) boxes.set(el.dataset.env ?? '', el.getBoundingClientRect());
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'arrows');
  svg.setAttribute('width', String(board.scrollWidth));
  svg.setAttribute('height', String(board.scrollHeight));
  const defs = document.createElementNS(SVG, 'defs');
  const marker = document.createElementNS(SVG, 'marker');
  for (const [k, v] of Object.entries({ id: 'head', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '8', markerHeight: '8', orient: 'auto-start-reverse' })) marker.setAttribute(k, v);
  const tip = document.createElementNS(SVG, 'path');
  tip.setAttribute('d', 'M 0 0 L 10 5 L 0 10 z');
  marker.append(tip);
  defs.append(marker);
  svg.append(defs);
  for (const a of s.arrows) {
    if (a.kind !== 'promotion') continue;
    const from = boxes.get(a.from);
    const to = boxes.get(a.to);
    if (!from || !to) continue;
    const x1 = from.right - origin.left;
    const y1 = from.top + from.height / 2 - origin.top;
    const x2 = to.left - origin.left;
    const y2 = to.top + to.height / 2 - origin.top;
    const mid = (x1 + x2) / 2;
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', x2 > x1 ? `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}` : `M ${from.left + from.width / 2 - origin.left} ${from.bottom - origin.top} L ${to.left + to.width / 2 - origin.left} ${to.top - origin.top}`);
    path.setAttribute('marker-end', 'url(#head)');
    path.setAttribute('data-testid', `pipeline-arrow-${a.from}-${a.to}`);
    svg.append(path);
  }
  board.prepend(svg);
}

function render(): void {
  if (!state) return;
  const s = state;
  const header = h('header', {}, h('h1', {}, 'Pipeline'), button('Reload', 'pipeline-reload', () => vscode.postMessage({ type: 'reload' }), { secondary: true, icon: 'refresh' }));
  if (s.problem) {
    document.getElementById('app')!.replaceChildren(header, h('p', { class: 'empty', testid: 'pipeline-problem' }, s.problem));
    return;
  }
  const board = h('div', { class: 'board', testid: 'pipeline-board' }, ...s.stages.map((stage, i) => h('div', { class: 'stage', testid: `pipeline-stage-${i}` }, ...stage.map(box))));
  const back = s.arrows.filter((a) => a.kind === 'back-promotion');
  const legend = back.length ? h('p', { class: 'legend', testid: 'pipeline-back' }, `Back-promotion: ${[...new Set(back.map((a) => a.from))].join(', ')} → ${back.map((a) => a.to).join(', ')}`) : undefined;
  document.getElementById('app')!.replaceChildren(...[header, board, legend].filter((x): x is HTMLElement => x !== undefined));
  drawArrows(board, s);
}

window.addEventListener('resize', () => {
  const board = document.querySelector<HTMLElement>('.board');
  if (board && state) drawArrows(board, state);
});

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  if (!m || typeof m !== 'object' || m.type !== 'state') return;
  state = m.state;
  render();
});

vscode.postMessage({ type: 'ready' });

// SAE page: its facts, its graph runs (with the FDR table of dependence runs) and its features in index order.
import { graphql } from '../api.js';
import { h, mount, s } from '../dom.js';
import { featureHref, num, percent, saeHref } from '../format.js';
import { SAE, SAE_FEATURES } from '../queries.js';
import { empty, errorBox, facts, loading, table } from '../widgets.js';

const PAGE = 50;

export async function renderSae({ main, signal, saeId }) {
  document.title = saeId + ' · SAE Feature Atlas';
  mount(main, loading('Loading SAE ' + saeId));
  let data;
  try {
    data = await graphql(SAE, { id: saeId, first: PAGE }, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(main, errorBox(e, 'Could not load SAE ' + saeId));
    return;
  }
  const sae = data.sae;
  if (!sae) {
    mount(main, h('section', {}, h('h1', {}, 'No such SAE'), h('p', {}, 'The atlas has no SAE ', h('code', {}, saeId), '. ', h('a', { href: '#/' }, 'Back to the catalogue'), '.')));
    return;
  }
  const rows = h('tbody', {});
  const more = h('div', { class: 'more' });
  let shown = 0;

  function addPage(connection) {
    rows.append(...connection.edges.map(({ node }) => featureRow(sae.id, node)));
    shown += connection.edges.length;
    const { hasNextPage, endCursor } = connection.pageInfo;
    mount(more,
      h('p', { class: 'muted' }, 'Showing ' + num(shown) + ' of ' + num(connection.totalCount) + ' features.'),
      hasNextPage ? h('button', { type: 'button', class: 'load-more', onclick: () => nextPage(endCursor) }, 'Load more features') : null);
  }

  async function nextPage(after) {
    mount(more, loading('Loading more features'));
    try {
      const page = await graphql(SAE_FEATURES, { id: sae.id, first: PAGE, after }, { signal });
      addPage(page.features);
    } catch (e) {
      if (e.name !== 'AbortError') mount(more, errorBox(e, 'Could not load more features'));
    }
  }

  mount(main,
    h('header', { class: 'page-head' },
      h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, sae.model.name), ' / ', sae.id),
      h('h1', {}, sae.id),
      facts([
        ['Model', sae.model.name], ['Release', sae.release], ['Layer', num(sae.layer)], ['Hook point', sae.hookPoint],
        ['Width', num(sae.width)], ['d_in', num(sae.dIn)], ['Seed', num(sae.seed)], ['Architecture', sae.architecture],
        ['Features', num(sae.featureCount)],
      ])),
    h('section', { class: 'sae-errors' }, h('h2', {}, 'Reconstruction error'), errorSection(sae)),
    h('section', {}, h('h2', {}, 'Graph runs'), runs(sae.runs)),
    h('section', {}, h('h2', {}, 'Features'),
      h('form', { class: 'filter-row', onsubmit: (e) => {
        e.preventDefault();
        const v = e.target.elements.index.value;
        if (v !== '') location.hash = featureHref(sae.id, v);
      } }, h('label', {}, 'Go to index ', h('input', { type: 'number', name: 'index', min: '0', max: String(sae.featureCount - 1) })), h('button', { type: 'submit' }, 'Open')),
      h('table', { class: 'features' },
        h('thead', {}, h('tr', {}, ['Index', 'Explanation', 'Firing rate', 'Mean', 'Max'].map((l, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, l)))),
        rows),
      more));
  addPage(data.features);
}

function featureRow(saeId, f) {
  return h('tr', {},
    h('td', {}, h('a', { href: featureHref(saeId, f.index) }, String(f.index))),
    h('td', {}, f.explanation ?? h('span', { class: 'muted' }, '—')),
    h('td', { class: 'num' }, percent(f.firingRate)),
    h('td', { class: 'num' }, num(f.meanActivation)),
    h('td', { class: 'num' }, num(f.maxActivation)));
}

function runs(list) {
  if (!list.length) return empty('No complete graph run on this SAE yet.');
  return list.map((r) => h('article', { class: 'run' },
    h('h3', {}, h('span', { class: 'chip kind-' + String(r.kind).toLowerCase() }, r.kind), ' ', r.method, ' ', h('span', { class: 'muted id' }, r.id)),
    facts([['Edges', num(r.edgeCount)], ['r*', r.rStar ?? null], ['Software', r.software], ['Created', r.createdAt]]),
    r.thresholdReason ? h('p', { class: 'muted threshold-reason' }, 'Why: ' + r.thresholdReason) : null,
    r.fdrTable.length ? h('details', {}, h('summary', {}, 'FDR table (' + r.fdrTable.length + ' thresholds)'),
      table([
        { label: 'r', numeric: true, cell: (row) => row.r === r.rStar ? h('strong', {}, String(row.r) + ' = r*') : num(row.r) },
        { label: 'Observed edges', numeric: true, cell: (row) => num(row.observed) },
        { label: 'Expected under null', numeric: true, cell: (row) => num(row.expectedNull, 2) },
        { label: 'Chance FDR (null)', numeric: true, cell: (row) => num(row.fdrEstimate) },
        { label: 'Indirect share (planted twin)', numeric: true, cell: (row) => row.indirectShare == null ? h('span', { class: 'muted' }, 'not estimated') : num(row.indirectShare) },
        { label: 'Total error', numeric: true, cell: (row) => num(row.totalError) },
      ], r.fdrTable, { class: 'fdr' })) : null,
    h('details', {}, h('summary', {}, 'Parameters'), h('pre', { class: 'code' }, prettyJson(r.parameters)))));
}

function prettyJson(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return String(text); }
}

// The SAE's error ("dark matter"): L0/FVU, the linear share of the error, the norm probe, the nonlinear FVU, the error
// norm against token rank, the contexts it fails on most, and how its per-token error norms relate to other SAEs'.
function errorSection(sae) {
  const st = sae.errorStatistics;
  if (sae.l0 == null && !st) return empty('No reconstruction statistics: build the SAE from residuals (build --residuals) to compute them.');
  const parts = [facts([
    ['Mean L0', num(sae.l0, 2)], ['FVU', num(sae.fvu, 4)], ['Mean error norm', num(sae.errorNorm, 4)],
    ['Linear share of the error (R²)', num(sae.errorLinearR2, 4)], ['Error-norm probe R²', num(sae.errorNormProbeR2, 4)],
    ['Nonlinear FVU', num(sae.nonlinearFvu, 4)], ['FVU on the held-out tokens', st ? num(st.heldOutFvu, 4) : null],
    ['Tokens', st ? num(st.tokens) + ' (' + num(st.trainTokens) + ' fitted, ' + num(st.heldOutTokens) + ' held out)' : null],
    ['Ridge (relative)', st ? num(st.ridge) : null], ['Split seed', st ? num(st.seed) : null], ['Residuals', st ? st.source : null],
  ])];
  if (st && st.curve.length > 1) parts.push(h('figure', { class: 'error-curve' }, normPlot(st.curve, st.tokens),
    h('figcaption', { class: 'muted' }, 'Error norm against token rank (0 = the largest), ' + num(st.tokens) + ' tokens.')));
  if (sae.errorTokens.length) {
    parts.push(h('h3', {}, 'Contexts it fails on most'), h('ol', { class: 'examples error-tokens' }, sae.errorTokens.map((t) => errorToken(sae.id, t))));
  }
  if (sae.errorComparisons.length) {
    parts.push(h('h3', {}, 'Per-token error norms across SAEs'), table([
      { label: 'Predictor', cell: (c) => h('a', { href: saeHref(c.predictor.id) }, c.predictor.id + ' (' + num(c.predictor.width) + ')') },
      { label: 'Predicted', cell: (c) => h('a', { href: saeHref(c.predicted.id) }, c.predicted.id + ' (' + num(c.predicted.width) + ')') },
      { label: 'Tokens', numeric: true, cell: (c) => num(c.tokens) },
      { label: 'R² (with intercept)', numeric: true, cell: (c) => num(c.r2, 4) },
      { label: 'R² (through origin)', numeric: true, cell: (c) => num(c.originR2, 4) },
      { label: 'Slope', numeric: true, cell: (c) => num(c.slope, 3) },
    ], sae.errorComparisons, { class: 'error-comparisons' }));
  }
  return parts;
}

function errorToken(saeId, t) {
  const context = t.context
    ? h('span', { class: 'tokens' }, t.context.map((x, i) => h('span', { class: 'tok' + (i === t.position ? ' strong' : ''), style: i === t.position ? '--a:1' : null },
      String(x).replace(/\n/g, '\u21b5').replace(/\t/g, '\u21e5'))))
    : h('span', { class: 'muted' }, 'token ' + num(t.token) + ' (no context: build with --tokens and --vocab)');
  return h('li', { class: 'example' },
    h('span', { class: 'example-max', title: 'Error norm; rank ' + num(t.rank) }, num(t.norm, 3)),
    context,
    h('span', { class: 'muted top-features' }, ' top features: ',
      t.topFeatures.length ? t.topFeatures.map((f, i) => [i ? ', ' : '', h('a', { href: featureHref(saeId, f.index), title: f.feature?.explanation ?? '' }, '#' + f.index), ' ' + num(f.activation, 2)]) : 'none'));
}

function normPlot(curve, tokens) {
  const W = 480, H = 160, L = 48, B = 22;
  const maxNorm = Math.max(1e-12, ...curve.map((p) => p.norm));
  const maxRank = Math.max(1, tokens - 1);
  const x = (r) => L + (W - L - 8) * r / maxRank;
  const y = (v) => 8 + (H - B - 8) * (1 - v / maxNorm);
  const path = curve.map((p, i) => (i ? 'L' : 'M') + x(p.rank).toFixed(1) + ' ' + y(p.norm).toFixed(1)).join(' ');
  return s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'norm-plot', role: 'img', 'aria-label': 'Error norm against token rank, from ' + num(maxNorm, 3) + ' down' },
    s('line', { x1: L, y1: H - B, x2: W - 8, y2: H - B, class: 'axis' }),
    s('line', { x1: L, y1: 8, x2: L, y2: H - B, class: 'axis' }),
    s('text', { x: L - 4, y: 14, 'text-anchor': 'end', class: 'tick' }, num(maxNorm, 2)),
    s('text', { x: L - 4, y: H - B, 'text-anchor': 'end', class: 'tick' }, '0'),
    s('text', { x: L, y: H - 6, class: 'tick' }, 'rank 0'),
    s('text', { x: W - 8, y: H - 6, 'text-anchor': 'end', class: 'tick' }, num(maxRank)),
    s('path', { d: path, class: 'curve' }));
}

// SAE page: its facts, the distributions of its features' statistics, its error ("dark matter") statistics, its runs
// (with status and parameters), communities, matches to other SAEs, comparisons, connection runs, and its features.
import { graphql } from '../api.js';
import { cypherBox, literal } from '../cypher.js';
import { histogram } from '../charts.js';
import { h, mount, s } from '../dom.js';
import { communityHref, compareHref, featureHref, num, percent, runHref, saeHref } from '../format.js';
import { prettyJson, stat } from '../pages.js';
import { SAE, SAE_FEATURES } from '../queries.js';
import { empty, errorBox, facts, loading, table } from '../widgets.js';

const PAGE = 50;

/** The Cypher behind the page: the SAE, its statistics' source (its features) and its runs. */
function saeCypher(id) {
  return [
    `MATCH (s:Sae {id: ${literal(id)}})`,
    'OPTIONAL MATCH (r:Run) WHERE r.sae = s.id OR s.id IN coalesce(r.saes, [])',
    'RETURN s, COUNT { (s)<-[:IN_SAE]-() } AS features,',
    '       COUNT { (f:Feature {sae: s.id}) WHERE f.firingRate IS NOT NULL } AS withActivations,',
    '       collect(r {.id, .kind, .method, .status, .edgeCount, .rStar}) AS runs',
  ].join('\n');
}

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

  const runIds = new Set(sae.runs.map((r) => r.id));
  const comparisons = data.comparisons.filter((c) => runIds.has(c.runA) || runIds.has(c.runB));
  mount(main,
    h('header', { class: 'page-head' },
      h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, sae.model.name), ' / ', sae.id),
      h('h1', {}, sae.id),
      facts([
        ['Model', sae.model.name], ['Release', sae.release], ['Layer', num(sae.layer)], ['Hook point', sae.hookPoint],
        ['Width', num(sae.width)], ['d_in', num(sae.dIn)], ['Seed', num(sae.seed)], ['Architecture', sae.architecture],
        ['Features', h('span', { 'data-field': 'featureCount' }, stat(sae.featureCount))],
        ['Mean L0', h('span', { 'data-field': 'l0' }, stat(sae.l0, 2))], ['FVU', h('span', { 'data-field': 'fvu' }, stat(sae.fvu, 4))],
      ])),
    h('section', { class: 'sae-distributions' }, h('h2', {}, 'Feature statistics'),
      h('div', { class: 'chart-grid' },
        distribution(sae.firingRate, 'Firing rate', true),
        distribution(sae.maxActivation, 'Max activation'),
        distribution(sae.meanActivation, 'Mean activation'))),
    h('section', { class: 'sae-errors' }, h('h2', {}, 'Reconstruction error'), errorSection(sae)),
    h('section', { class: 'sae-runs' }, h('h2', {}, 'Runs'), runs(sae)),
    h('section', { class: 'sae-matches' }, h('h2', {}, 'Matches to other SAEs'), matches(sae)),
    h('section', { class: 'sae-comparisons' }, h('h2', {}, 'Comparisons'), comparisonList(comparisons)),
    h('section', { class: 'sae-connections' }, h('h2', {}, 'Connections between layers'), connectionRuns(sae)),
    h('section', { class: 'sae-communities' }, h('h2', {}, 'Communities'), communities(sae)),
    h('section', {}, h('h2', {}, 'Features'),
      h('form', { class: 'filter-row', onsubmit: (e) => {
        e.preventDefault();
        const v = e.target.elements.index.value;
        if (v !== '') location.hash = featureHref(sae.id, v);
      } }, h('label', {}, 'Go to index ', h('input', { type: 'number', name: 'index', min: '0', max: String(sae.featureCount - 1) })), h('button', { type: 'submit' }, 'Open')),
      h('table', { class: 'features' },
        h('thead', {}, h('tr', {}, ['Index', 'Explanation', 'Firing rate', 'Mean', 'Max'].map((l, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, l)))),
        rows),
      more),
    cypherBox(saeCypher(sae.id), { title: 'Cypher: this SAE and its runs', collapsed: true }));
  addPage(data.features);
}

function featureRow(saeId, f) {
  return h('tr', {},
    h('td', {}, h('a', { href: featureHref(saeId, f.index) }, String(f.index))),
    h('td', {}, f.explanation ?? h('span', { class: 'muted' }, '—')),
    h('td', { class: 'num' }, f.firingRate == null ? h('span', { class: 'not-loaded' }, 'not loaded') : percent(f.firingRate)),
    h('td', { class: 'num' }, f.meanActivation == null ? h('span', { class: 'not-loaded' }, 'not loaded') : num(f.meanActivation)),
    h('td', { class: 'num' }, f.maxActivation == null ? h('span', { class: 'not-loaded' }, 'not loaded') : num(f.maxActivation)));
}

/** One statistic's summary and histogram; "not loaded" when no feature has it. */
function distribution(d, label, asPercent = false) {
  const known = d.features - d.missing;
  const body = known === 0
    ? [h('p', { class: 'not-loaded' }, 'not loaded'), h('p', { class: 'muted small' }, 'No feature of this SAE has it: load activations to compute it.')]
    : [
      facts([
        ['Features with it', stat(known)], ['Missing', d.missing ? stat(d.missing) : null], ['Exactly 0', stat(d.zeros)],
        ['Median', stat(d.median, 4, { asPercent })], ['Mean', stat(d.mean, 4, { asPercent })],
        ['Min', stat(d.min, 4, { asPercent })], ['Max', stat(d.max, 4, { asPercent })],
      ]),
      histogram(d, label + (asPercent ? ' (share of tokens)' : '')),
      d.scale === 'log' && d.zeros ? h('p', { class: 'muted small' }, num(d.zeros) + ' features at exactly 0 are not in the log-scale bins.') : null,
    ];
  return h('figure', { class: 'distribution', 'data-statistic': d.statistic }, h('figcaption', {}, h('strong', {}, label)), body);
}

function runs(sae) {
  if (!sae.runs.length) return empty('No run on this SAE yet.');
  return table([
    { label: 'Run', cell: (r) => h('a', { href: runHref(r.id), 'data-run': r.id }, r.id) },
    { label: 'Kind', cell: (r) => h('span', { class: 'chip kind-' + String(r.kind).toLowerCase() }, r.kind) },
    { label: 'Method', cell: (r) => r.method },
    { label: 'Status', cell: (r) => h('span', { class: 'run-status status-' + r.status }, r.status ?? '—') },
    { label: 'Edges', numeric: true, cell: (r) => stat(r.edgeCount) },
    { label: 'r*', numeric: true, cell: (r) => r.kind === 'dependence' ? stat(r.rStar) : '—' },
    { label: 'Chance FDR at r*', numeric: true, cell: (r) => r.kind === 'dependence' ? stat(r.estimatedChanceFdr, 4) : '—' },
    { label: 'Created', cell: (r) => r.createdAt ?? '—' },
    { label: 'Parameters', cell: (r) => h('details', {}, h('summary', {}, 'show'), h('pre', { class: 'code' }, prettyJson(r.parameters))) },
  ], sae.runs, { class: 'runs' });
}

/** The other SAE of a run joining two SAEs. */
function partner(sae, run) {
  return (run.saes || []).find((x) => x !== sae.id) ?? null;
}

function matches(sae) {
  const list = sae.runs.filter((r) => (r.kind === 'match' || r.kind === 'structural_match') && r.status === 'complete');
  if (!list.length) return empty('No match run joins this SAE to another.');
  return table([
    { label: 'Other SAE', cell: (r) => partner(sae, r) ? h('a', { href: saeHref(partner(sae, r)) }, partner(sae, r)) : '—' },
    { label: 'Run', cell: (r) => h('a', { href: runHref(r.id) }, r.method) },
    { label: 'Evidence', cell: (r) => r.kind === 'structural_match' ? h('span', { class: 'weak' }, 'structural (weak evidence)') : 'confident' },
    { label: 'Share matched (this SAE)', numeric: true, cell: (r) => stat(r.saes && r.saes[0] === sae.id ? r.shareMatchedA : r.shareMatchedB, 3, { asPercent: true }) },
    { label: 'Share matched (other)', numeric: true, cell: (r) => stat(r.saes && r.saes[0] === sae.id ? r.shareMatchedB : r.shareMatchedA, 3, { asPercent: true }) },
    { label: 'Compare', cell: (r) => partner(sae, r) ? h('a', { class: 'compare-link', href: compareHref(sae.id, partner(sae, r)) }, 'side by side') : '—' },
  ], list, { class: 'matches' });
}

export function comparisonList(list) {
  if (!list.length) return empty('No comparison involves these runs.');
  return table([
    { label: 'Runs', cell: (c) => h('a', { class: 'compare-link', href: compareHref(c.runA, c.runB) }, c.runA + ' vs ' + c.runB) },
    { label: 'Matched features', numeric: true, cell: (c) => stat(c.matchedFeatures) },
    { label: 'Degree JSD', numeric: true, cell: (c) => stat(c.degreeJsd, 4) },
    { label: 'Edge Jaccard', numeric: true, cell: (c) => stat(c.edgeJaccard, 4) },
    { label: 'ARI', numeric: true, cell: (c) => stat(c.ari, 4) },
    { label: 'NMI', numeric: true, cell: (c) => stat(c.nmi, 4) },
  ], list, { class: 'comparisons' });
}

function connectionRuns(sae) {
  const list = sae.runs.filter((r) => r.kind === 'connection');
  if (!list.length) return empty('No connection run has this SAE upstream or downstream.');
  return table([
    { label: 'Run', cell: (r) => h('a', { href: runHref(r.id) }, r.id) },
    { label: 'Upstream', cell: (r) => r.saes ? h('a', { href: saeHref(r.saes[0]) }, r.saes[0]) : '—' },
    { label: 'Downstream', cell: (r) => r.saes ? h('a', { href: saeHref(r.saes[1]) }, r.saes[1]) : '—' },
    { label: 'Stable connections', numeric: true, cell: (r) => stat(r.stableConnections) },
    { label: 'Share linear', numeric: true, cell: (r) => stat(r.linearShare, 3, { asPercent: true }) },
    { label: 'Status', cell: (r) => r.status ?? '—' },
  ], list, { class: 'connections' });
}

function communities(sae) {
  const analysed = sae.runs.filter((r) => r.analyses && r.analyses.length);
  if (!analysed.length) return empty('No run of this SAE has been analysed (./atlas analyse <run>).');
  return analysed.map((r) => {
    const a = r.analyses[0];
    const list = a.communities.edges.map((e) => e.node);
    return h('article', { class: 'run-communities' },
      h('h3', {}, h('a', { href: runHref(r.id) }, r.kind + ' ' + r.id), ' ',
        h('span', { class: 'muted' }, a.algorithm + ': ' + num(a.communityCount) + ' communities, modularity ', stat(a.modularity, 3))),
      list.length ? h('ul', { class: 'community-list' }, list.map((c) => h('li', {},
        h('a', { href: communityHref(c.id), 'data-community': c.id }, 'community ' + c.index), ' ',
        h('span', { class: 'muted' }, num(c.size) + ' features, ' + c.type), c.hub && c.hub.explanation ? ' · hub: ' + c.hub.explanation : null)))
        : empty('No communities.'));
  });
}

// The SAE's error ("dark matter"): L0/FVU, the linear share of the error, the norm probe, the nonlinear FVU, the error
// norm against token rank, the contexts it fails on most, and how its per-token error norms relate to other SAEs'.
function errorSection(sae) {
  const st = sae.errorStatistics;
  if (sae.l0 == null && !st) return h('p', { class: 'empty' }, h('span', { class: 'not-loaded' }, 'not loaded'), ': no reconstruction statistics. Build the SAE from residuals (build --residuals) to compute L0, FVU and the error statistics.');
  const parts = [facts([
    ['Mean L0', stat(sae.l0, 2)], ['FVU', stat(sae.fvu, 4)], ['Mean error norm', stat(sae.errorNorm, 4)],
    ['Linear share of the error (R²)', stat(sae.errorLinearR2, 4)], ['Error-norm probe R²', stat(sae.errorNormProbeR2, 4)],
    ['Nonlinear FVU', stat(sae.nonlinearFvu, 4)], ['FVU on the held-out tokens', st ? num(st.heldOutFvu, 4) : null],
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

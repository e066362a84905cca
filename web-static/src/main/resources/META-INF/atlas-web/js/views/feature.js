// Feature page: explanations, statistics, activating examples, neighbours by edge kind, a drawing and Cypher.
import { graphql, info } from '../api.js';
import { coneCypher, cypherBox, featureCypher, formulaCypher, neighboursCypher, wireBrowserLinks } from '../cypher.js';
import { h, mount, s } from '../dom.js';
import { bool, communityHref, featureHref, featureHrefFromId, num, percent, saeHref } from '../format.js';
import { graphView, neighbourhood } from '../graph.js';
import { CONE, FEATURE, NEIGHBOURS } from '../queries.js';
import { empty, errorBox, loading, table, tabs } from '../widgets.js';

const EXAMPLES = 8;
const NEIGHBOURS_PER_KIND = 20;
/** Stable connections per feature and hop in the cross-layer cone. */
const CONE_PER_HOP = 12;
/** Tokens shown either side of an example's strongest token until its whole context is expanded. */
const CONTEXT = 12;

const KINDS = [
  { id: 'coactivation', kind: 'COACTIVATION', label: 'Co-activation' },
  { id: 'dependence', kind: 'DEPENDENCE', label: 'Dependence' },
  { id: 'cosine', kind: 'COSINE', label: 'Cosine' },
  { id: 'match', kind: 'MATCH', label: 'Cross-SAE match' },
  // matches by neighbourhood statistics: weak evidence, not counted in seed stability
  { id: 'structural', kind: 'MATCH', matchedBy: 'STRUCTURAL', label: 'Structural match' },
  { id: 'imported', kind: 'IMPORTED', label: 'Imported graphs' },
];

/** Neighbour number columns, shown only when some row of the tab has a value. */
const NUMBER_COLUMNS = [
  { key: 'weight', label: 'Weight', title: 'The edge\u2019s main strength: LASSO weight, Pearson r, cosine or match score' },
  { key: 'count', label: 'Count', title: 'Co-firing token count' },
  { key: 'correlation', label: 'Correlation' },
  { key: 'jaccard', label: 'Jaccard' },
  { key: 'replicates', label: 'Replicates', title: 'Resampling replicates that selected the edge' },
  { key: 'nullReplicates', label: 'Null repl.', title: 'Replicates selecting it under the null' },
  { key: 'stable', label: 'Stable' },
  { key: 'cosine', label: 'Cosine' },
];

export async function renderFeature({ main, params, signal, saeId, index }) {
  document.title = saeId + '/' + index + ' · SAE Feature Atlas';
  mount(main, loading('Loading feature ' + saeId + '/' + index));
  if (!/^\d+$/.test(index)) {
    mount(main, errorBox(new Error('A feature index is a whole number; the address has “' + index + '”.'), 'Bad feature address'));
    return;
  }
  let data;
  let warning = null;
  try {
    data = await graphql(FEATURE, { sae: saeId, index: Number(index), examples: EXAMPLES, first: NEIGHBOURS_PER_KIND }, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    if (!e.data || !e.data.feature) {
      mount(main, errorBox(e, 'Could not load feature ' + saeId + '/' + index));
      return;
    }
    data = e.data;
    warning = errorBox(e, 'Some parts of this feature failed to load');
  }
  const f = data.feature;
  if (!f) {
    mount(main, h('section', {}, h('h1', {}, 'No such feature'),
      h('p', {}, 'The atlas has no feature ', h('code', {}, saeId + '/' + index), '. ',
        h('a', { href: saeHref(saeId) }, 'Browse SAE ' + saeId), '.')));
    return;
  }
  mount(main, warning, header(f), body(f, params));
  if (!signal.aborted) wireBrowserLinks(main);
}

function header(f) {
  const sae = f.sae;
  const prev = f.index > 0 ? h('a', { href: featureHref(sae.id, f.index - 1), title: 'Previous feature' }, '\u2190 ' + (f.index - 1)) : null;
  const next = f.index + 1 < sae.featureCount ? h('a', { href: featureHref(sae.id, f.index + 1), title: 'Next feature' }, (f.index + 1) + ' \u2192') : null;
  return h('header', { class: 'page-head' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/' }, sae.model.name), ' / ', h('a', { href: saeHref(sae.id) }, sae.id), ' / ', '#' + f.index,
      h('span', { class: 'step' }, prev, next)),
    h('h1', {}, h('span', { class: 'feature-id' }, f.id)),
    h('p', { class: 'lead' }, f.explanation ?? h('span', { class: 'muted' }, 'No explanation yet.')),
    h('div', { class: 'stats' },
      ...activationStats(f),
      stat('Layer', num(sae.layer)),
      stat('Width', num(sae.width)),
      stat('Hook', sae.hookPoint ?? '—'),
      f.matchedIn == null ? null : stat('Matched in other SAEs', num(f.matchedIn))),
    histogram(f.histogram));
}

/**
 * Statistics that need activations: shown only when they were computed. An SAE added without activations says so
 * instead of showing zeros; firing rates measured during training (SAELens sparsity) are labelled as such.
 */
function activationStats(f) {
  const training = f.trainingFiringRate == null ? null
    : h('div', { class: 'stat', title: f.sae.trainingFiringRateSource ?? '' },
      h('div', { class: 'stat-value' }, percent(f.trainingFiringRate)),
      h('div', { class: 'stat-label' }, 'Firing rate in training'));
  if (f.firingRate == null && f.meanActivation == null && f.maxActivation == null) {
    return [h('div', { class: 'stat no-activations' },
      h('div', { class: 'stat-value muted' }, 'No activations loaded'),
      h('div', { class: 'stat-label' }, 'firing rate, activations and histogram not known')), training];
  }
  return [stat('Firing rate', percent(f.firingRate)), stat('Mean activation', num(f.meanActivation)),
    stat('Max activation', num(f.maxActivation)), training];
}

/**
 * Activation density: firing tokens per (log-spaced) activation bin, as bars over an activation axis (the bin edges
 * at the ends and the middle) and a token-count axis; each bar says its bin and count on hover.
 */
function histogram(hist) {
  if (!hist || !hist.counts.length) return null;
  const left = 44;
  const bottom = 30;
  const plotW = 300;
  const plotH = 80;
  const width = left + plotW + 10;
  const height = plotH + bottom + 8;
  const top = Math.max(1, ...hist.counts);
  const n = hist.counts.length;
  const w = plotW / n;
  const y = (c) => 6 + plotH - (c / top) * plotH;
  const bars = hist.counts.map((c, b) => s('rect', {
    x: (left + b * w + 1).toFixed(1), y: y(c).toFixed(1),
    width: Math.max(1, w - 2).toFixed(1), height: ((c / top) * plotH).toFixed(1), class: 'bar',
    'data-count': String(c),
  }, s('title', {}, 'activation ' + num(hist.binEdges[b]) + ' – ' + num(hist.binEdges[b + 1]) + ': ' + num(c) + ' tokens')));
  const ticksAt = [...new Set([0, Math.floor(n / 2), n])];
  const xTicks = ticksAt.map((b) => s('g', { class: 'tick' },
    s('line', { x1: left + b * w, x2: left + b * w, y1: 6 + plotH, y2: 10 + plotH, class: 'axis' }),
    s('text', { x: left + b * w, y: 21 + plotH, 'text-anchor': b === 0 ? 'start' : b === n ? 'end' : 'middle' }, num(hist.binEdges[b]))));
  const yTicks = [0, top].map((c) => s('g', { class: 'tick' },
    s('line', { x1: left - 4, x2: left, y1: y(c), y2: y(c), class: 'axis' }),
    s('text', { x: left - 6, y: y(c) + 3, 'text-anchor': 'end' }, num(c))));
  return h('figure', { class: 'histogram' },
    s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Activation histogram' },
      s('line', { x1: left, x2: left + plotW, y1: 6 + plotH, y2: 6 + plotH, class: 'axis' }),
      s('line', { x1: left, x2: left, y1: 6, y2: 6 + plotH, class: 'axis' }),
      ...bars, ...xTicks, ...yTicks,
      s('text', { x: left + plotW / 2, y: height - 1, 'text-anchor': 'middle', class: 'axis-label' }, 'activation (SAE units, log-spaced bins)'),
      s('text', { x: 10, y: 6 + plotH / 2, transform: `rotate(-90 10 ${6 + plotH / 2})`, 'text-anchor': 'middle', class: 'axis-label' }, 'tokens')),
    h('figcaption', { class: 'muted' }, 'Activation density: sampled tokens on which the feature fires, per activation bin ('
      + num(hist.counts.reduce((a, b) => a + b, 0)) + ' tokens).'));
}

/** The communities and components this feature belongs to, with the shape that typed them. */
function communities(f) {
  if (!f.communities || !f.communities.length) return null;
  return h('section', {}, h('h2', {}, 'Communities'),
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Run', 'Kind', 'Size', 'Shape', 'Why', 'Mean cosine'].map((t) => h('th', {}, t)))),
      h('tbody', {}, f.communities.map((c) => h('tr', {},
        h('td', { class: 'mono' }, c.run),
        h('td', {}, h('a', { href: communityHref(c.id), title: 'Open the ' + c.kind + ' page' }, c.kind + ' ' + c.id.split('/').pop()),
          c.algorithm ? ' (' + c.algorithm + ')' : ''),
        h('td', { class: 'num' }, num(c.size)),
        h('td', {}, c.type.replace(/_/g, ' ') + (c.nearDuplicate ? ' · near-duplicates' : '')),
        h('td', { class: 'muted' }, c.reason ?? ''),
        h('td', { class: 'num' }, c.meanCosine == null ? '—' : num(c.meanCosine)))))));
}

/**
 * How the feature is computed from the layer below (its stable connections as a signed formula, each term with its
 * explanation) and how well that linear formula does against a small nonlinear model.
 */
function computedFrom(f) {
  const c = f.computedFrom;
  if (!c) return null;
  const l = c.linearity;
  return h('section', { class: 'computed-from' }, h('h2', {}, 'Computed from the layer below'),
    h('p', {}, h('code', { class: 'formula' }, f.id + ' ≈ ' + c.text)),
    l == null ? null : h('p', { class: 'muted' },
      (l.linear ? 'Linear: ' : 'Not linear: ') + 'the formula explains ' + percent(l.linearR2)
        + ' of its variance on held-out tokens, a small nonlinear model ' + percent(l.nonlinearR2)
        + ' (difference ' + num(l.lossDifference) + ', threshold ' + num(l.threshold) + ').'),
    cypherBox(formulaCypher(f.id, c.run), { title: 'Cypher of the formula', collapsed: true, note: 'The connections of run ' + c.run + ' into this feature.' }),
    c.terms.length ? h('table', { class: 'grid formula-terms' },
      h('thead', {}, h('tr', {}, ['Weight', 'Upstream feature', 'Explanation', 'Replicates', 'Sign consistency']
        .map((t) => h('th', {}, t)))),
      h('tbody', {}, c.terms.map((t) => h('tr', {},
        h('td', { class: 'num' }, num(t.weight)),
        h('td', {}, h('a', { href: featureHref(t.feature.sae.id, t.feature.index) }, t.feature.id)),
        h('td', {}, t.explanation ?? h('span', { class: 'muted' }, 'no explanation')),
        h('td', { class: 'num' }, num(t.replicates)),
        h('td', { class: 'num' }, t.signConsistency == null ? '—' : num(t.signConsistency))))))
      : h('p', { class: 'muted' }, 'No stable connection from the layer below (run ' + c.run + ').'));
}

/** The features of the next layer this one feeds (stable connections, strongest first). */
function feedsInto(f) {
  if (!f.feedsInto || !f.feedsInto.length) return null;
  return h('section', {}, h('h2', {}, 'Feeds into the layer above'),
    h('ul', { class: 'similar' }, f.feedsInto.map((n) => h('li', {},
      h('a', { href: featureHref(n.feature.sae.id, n.feature.index) }, n.feature.id), ' ',
      h('span', { class: 'muted' }, 'weight ' + num(n.weight)), ' ',
      h('span', {}, n.feature.explanation ?? '')))));
}

/** Features explained like this one (nearest explanation embeddings), in any SAE. */
function similar(f) {
  if (!f.similar || !f.similar.length) return null;
  return h('section', {}, h('h2', {}, 'Explained similarly'),
    h('ul', { class: 'similar' }, f.similar.map((s) => h('li', {},
      h('a', { href: featureHref(s.feature.sae.id, s.feature.index) }, s.feature.id), ' ',
      h('span', {}, s.feature.explanation ?? ''), ' ',
      h('span', { class: 'muted' }, 'similarity ' + num(s.similarity))))));
}

function stat(label, value) {
  return h('div', { class: 'stat' }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

function body(f, params) {
  const drawing = h('div', { class: 'drawing' });
  const cypher = h('div', { class: 'cypher' });
  const state = Object.fromEntries(KINDS.map((k) => [k.id, { rows: f[k.id] || [], options: {} }]));

  const show = (id) => {
    const k = KINDS.find((x) => x.id === id);
    const rows = state[id].rows;
    mount(drawing, h('h3', {}, 'Neighbourhood ', h('span', { class: 'muted' }, '(' + k.label.toLowerCase() + ')')),
      rows.length ? neighbourhood(f, rows, { label: k.label + ' neighbourhood of ' + f.id }) : empty('No ' + k.label.toLowerCase() + ' edges.'));
    const run = rows.length ? rows[0].run : null;
    const text = neighboursCypher(f.id, k.kind, { run, limit: NEIGHBOURS_PER_KIND, ...state[id].options });
    mount(cypher, cypherBox(text, { title: 'Cypher',
      note: run ? 'The ' + k.label.toLowerCase() + ' neighbours listed, from run ' + run + '.'
        : 'No run of this kind answered; the query looks in every run.' }));
  };

  const panel = (k) => () => neighbourPanel(f, k, state[k.id], () => show(k.id));
  const cone = h('section', { class: 'cone' });
  if (f.computedFrom || (f.feedsInto && f.feedsInto.length)) loadCone(f, cone);
  const tabItems = KINDS.map((k) => ({ id: k.id, label: [k.label, ' ', h('span', { class: 'count' }, String(state[k.id].rows.length))], render: panel(k) }));
  const selected = params.get('tab') || KINDS.find((k) => state[k.id].rows.length)?.id || 'coactivation';

  return h('div', { class: 'feature-body' },
    h('div', { class: 'col-main' },
      explanations(f),
      computedFrom(f),
      feedsInto(f),
      cone,
      h('section', {}, h('h2', {}, 'Top activating examples'), examples(f)),
      logitTables(f),
      h('section', {}, h('h2', {}, 'Neighbours'), tabs('neighbours', tabItems, selected, (id) => {
        rememberTab(id);
        show(id);
      })),
      communities(f),
      similar(f)),
    h('aside', { class: 'col-side' }, drawing, cypher,
      cypherBox(featureCypher(f.id), { title: 'Cypher of this feature', collapsed: true, note: 'Its statistics and explanations.' })));
}

function rememberTab(id) {
  const [path, query] = location.hash.split('?');
  const p = new URLSearchParams(query || '');
  if (p.get('tab') === id || (!p.get('tab') && id === 'coactivation')) return;
  p.set('tab', id);
  history.replaceState(null, '', path + '?' + p.toString());
}

function explanations(f) {
  if (!f.explanations.length) return null;
  const sorted = [...f.explanations].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
  return h('section', {}, h('h2', {}, 'Explanations'),
    h('ul', { class: 'explanations' }, sorted.map((e) => h('li', {},
      h('span', {}, e.text),
      h('span', { class: 'muted meta' }, [e.source, e.score !== null && e.score !== undefined ? 'score ' + num(e.score) : null].filter(Boolean).join(' · '))))));
}

function examples(f) {
  if (!f.examples.length) return empty('No activating examples stored.');
  const scale = Math.max(1e-12, f.maxActivation ?? 0, ...f.examples.map((e) => e.maxValue));
  return h('ol', { class: 'examples' }, f.examples.map((ex) => example(ex, scale)));
}

/**
 * One example: the tokens around its strongest one (CONTEXT either side) with a button for the whole context, and
 * a readout that shows the hovered (or focused) token's value.
 */
function example(ex, scale) {
  let peak = 0;
  ex.values.forEach((v, i) => { if (Math.abs(v) > Math.abs(ex.values[peak] ?? 0)) peak = i; });
  const from = Math.max(0, peak - CONTEXT);
  const to = Math.min(ex.tokens.length, peak + CONTEXT + 1);
  const clipped = from > 0 || to < ex.tokens.length;
  const readout = h('span', { class: 'tok-value muted', 'aria-live': 'polite' }, '');
  const tokens = h('span', { class: 'tokens' });
  const render = (all) => {
    const a = all ? 0 : from;
    const b = all ? ex.tokens.length : to;
    tokens.replaceChildren(
      a > 0 ? h('span', { class: 'muted' }, '\u2026') : '',
      ...ex.tokens.slice(a, b).map((t, k) => token(t, ex.values[a + k] ?? 0, scale, a + k, readout)),
      b < ex.tokens.length ? h('span', { class: 'muted' }, '\u2026') : '');
  };
  render(false);
  const more = clipped ? h('button', { type: 'button', class: 'context-toggle', 'aria-expanded': 'false', onclick: () => {
    const open = more.getAttribute('aria-expanded') !== 'true';
    more.setAttribute('aria-expanded', String(open));
    more.textContent = open ? 'less context' : 'full context (' + ex.tokens.length + ' tokens)';
    render(open);
  } }, 'full context (' + ex.tokens.length + ' tokens)') : null;
  return h('li', { class: 'example' },
    h('span', { class: 'example-max', title: 'Largest activation in this example' }, num(ex.maxValue, 2)),
    h('div', { class: 'example-body' }, tokens, h('div', { class: 'example-foot' }, readout, more)));
}

/** The export's logit table: tokens the feature's decoder direction promotes and suppresses, side by side. */
function logitTables(f) {
  const l = f.logits;
  if (!l || (!l.positive.length && !l.negative.length)) return null;
  const column = (title, rows, cls) => h('div', {}, h('h3', {}, title),
    rows.length ? table([
      { label: 'Token', cell: (r) => h('code', { class: 'logit-token' }, JSON.stringify(r.token)) },
      { label: 'Logit change', numeric: true, cell: (r) => h('span', { class: cls + ' logit-value', 'data-value': String(r.value) }, num(r.value)) },
    ], rows, { class: 'logits ' + cls }) : empty('None in the export.'));
  return h('section', { class: 'logit-tables' }, h('h2', {}, 'Effect on the output logits'),
    h('p', { class: 'muted' }, 'As the input (a SAEDashboard / Neuronpedia export) computed them: the change of each token\u2019s logit along this feature\u2019s decoder direction.'),
    h('div', { class: 'logit-columns' }, column('Promoted', l.positive, 'pos'), column('Suppressed', l.negative, 'neg')));
}

function token(text, value, scale, position, readout) {
  const alpha = Math.min(1, Math.abs(value) / scale);
  const shown = String(text).replace(/\n/g, '\u21b5').replace(/\t/g, '\u21e5');
  const say = () => { readout.textContent = JSON.stringify(String(text)) + ' (position ' + position + '): activation ' + num(value, 4); };
  return h('span', {
    class: 'tok' + (value < 0 ? ' neg' : '') + (alpha > 0.55 ? ' strong' : ''),
    style: alpha > 0 ? '--a:' + alpha.toFixed(3) : null,
    title: JSON.stringify(String(text)) + ' = ' + num(value, 4),
    'data-value': String(value),
    'data-position': String(position),
    tabindex: value !== 0 ? '0' : null,
    onmouseenter: say,
    onfocus: say,
  }, shown);
}

function neighbourPanel(f, k, st, redraw) {
  const out = h('div', {});
  const list = h('div', {}, neighbourTable(f.sae.id, st.rows));
  const note = runNote(f, k, st.rows);
  const controls = neighbourControls(k, st.options, async (options) => {
    st.options = options;
    mount(list, loading('Loading ' + k.label.toLowerCase() + ' neighbours'));
    try {
      const data = await graphql(NEIGHBOURS, { id: f.id, kind: k.kind, matchedBy: k.matchedBy, first: NEIGHBOURS_PER_KIND, ...options });
      st.rows = data.feature ? data.feature.neighbours : [];
      mount(list, neighbourTable(f.sae.id, st.rows));
      redraw();
    } catch (e) {
      mount(list, errorBox(e, 'Could not load ' + k.label.toLowerCase() + ' neighbours'));
    }
  });
  out.append(controls, note, list);
  return out;
}

/**
 * What the tab's rows are: the run they come from and, for dependence edges, what "stable" means in it (replicates
 * >= r* of R resamples); structural matches are flagged as weak evidence.
 */
function runNote(f, k, rows) {
  if (!rows.length) return null;
  const runId = rows[0].run;
  const run = (f.sae.runs || []).find((r) => r.id === runId);
  let resamples = null;
  try { resamples = run ? JSON.parse(run.parameters || '{}').resamples ?? null : null; } catch (e) { resamples = null; }
  const parts = [h('span', {}, 'Run ', h('code', {}, runId))];
  if (run && run.rStar != null) {
    parts.push(h('span', { class: 'stable-rule' }, ' · stable = selected in at least r* = ', h('strong', { class: 'r-star' }, String(run.rStar)),
      ' of R = ', h('strong', { class: 'resamples' }, resamples == null ? '?' : String(resamples)), ' resamples'));
  }
  if (k.matchedBy === 'STRUCTURAL') {
    parts.push(h('span', { class: 'weak-evidence' }, ' · weak evidence: matched by neighbourhood statistics (degree, strength, clustering), '
      + 'not by what the features compute; never counted in seed stability'));
  }
  return h('p', { class: 'run-note muted' }, parts);
}

function neighbourControls(k, options, apply) {
  const dependence = k.kind === 'DEPENDENCE';
  const sign = h('select', { name: 'sign' },
    h('option', { value: '' }, 'both'),
    h('option', { value: 'POSITIVE', selected: options.sign === 'POSITIVE' }, 'positive'),
    h('option', { value: 'NEGATIVE', selected: options.sign === 'NEGATIVE' }, 'negative'));
  const minReplicates = dependence ? h('input', { type: 'number', min: '0', step: '1', name: 'minReplicates', value: options.minReplicates ?? '', placeholder: 'r*' }) : null;
  const stableOnly = dependence ? h('input', { type: 'checkbox', name: 'stableOnly', checked: !!options.stableOnly }) : null;
  return h('form', { class: 'filter-row', onsubmit: (e) => {
    e.preventDefault();
    const o = {};
    if (sign.value) o.sign = sign.value;
    if (minReplicates && minReplicates.value !== '') o.minReplicates = Number(minReplicates.value);
    if (stableOnly && stableOnly.checked) o.stableOnly = true;
    apply(o);
  } },
    h('label', {}, 'Sign ', sign),
    dependence ? h('label', { title: 'Keep edges selected in at least this many replicates' }, 'Min replicates ', minReplicates) : null,
    dependence ? h('label', {}, stableOnly, ' stable only') : null,
    h('button', { type: 'submit' }, 'Apply'));
}

/** Same-SAE neighbours read as '#index'; others (cross-SAE matches) keep their full id. */
function neighbourLink(saeId, g) {
  const same = g.sae && g.sae.id === saeId;
  return h('a', { href: featureHrefFromId(g.id), class: 'feature-id', title: g.id }, same ? '#' + g.index : g.id);
}

function neighbourTable(saeId, rows) {
  if (!rows.length) return empty('No neighbours of this kind (no complete run, or no edge passes the filters).');
  const present = NUMBER_COLUMNS.filter((c) => rows.some((r) => r[c.key] !== null && r[c.key] !== undefined));
  return table([
    { label: 'Feature', cell: (n) => neighbourLink(saeId, n.feature) },
    { label: 'Explanation', cell: (n) => n.feature.explanation ?? h('span', { class: 'muted' }, '—') },
    ...present.map((c) => ({
      label: c.label, title: c.title, numeric: true,
      cell: (n) => c.key === 'stable' ? bool(n.stable) : c.key === 'weight' ? h('span', { class: n.weight < 0 ? 'neg' : 'pos' }, num(n.weight)) : num(n[c.key]),
    })),
    ...(rows.some((r) => r.directed) ? [{ label: 'Direction', title: 'Direction of the edge in the imported directed graph',
      cell: (n) => n.directed ? (n.outgoing ? 'to →' : '← from') : '—' }] : []),
    ...attributeColumns(rows),
  ], rows, { class: 'neighbours' });
}

/**
 * An imported graph's link attributes, one column per attribute name (weight and key are shown elsewhere); other
 * kinds' stored properties already have their own columns.
 */
function attributeColumns(all) {
  const rows = all.filter((r) => r.kind === 'IMPORTED');
  if (!rows.length) return [];
  const parsed = new Map(rows.map((r) => [r, attributesOf(r.attributes)]));
  const names = [...new Set([...parsed.values()].flatMap((a) => Object.keys(a)))].filter((k) => k !== 'weight' && k !== 'key').sort();
  return names.map((name) => ({ label: name, title: "The imported link's attribute " + name,
    cell: (n) => {
      const v = (parsed.get(n) || {})[name];
      return v === undefined ? '—' : typeof v === 'number' ? num(v) : typeof v === 'string' ? v : JSON.stringify(v);
    } }));
}

function attributesOf(json) {
  try {
    const a = JSON.parse(json || '{}');
    return a && typeof a === 'object' ? a : {};
  } catch (e) {
    return {};
  }
}

/**
 * The feature's cone across layers, drawn layer by layer: stable connections two hops upstream and downstream (the
 * strongest CONE_PER_HOP per feature and hop), each feature a column by its layer and SAE.
 */
async function loadCone(f, section) {
  mount(section, h('h2', {}, 'Across layers'), loading('Loading the upstream and downstream cone'));
  let data;
  try {
    data = await graphql(CONE, { id: f.id, first: CONE_PER_HOP });
  } catch (e) {
    mount(section, h('h2', {}, 'Across layers'), errorBox(e, 'Could not load the cone'));
    return;
  }
  const g = data.feature;
  if (!g) return;
  const nodes = new Map([[g.id, { id: g.id, explanation: g.explanation, sae: g.sae.id, layer: g.sae.layer, centre: true }]]);
  const edges = new Map();
  const add = (n) => { if (!nodes.has(n.id)) nodes.set(n.id, { id: n.id, explanation: n.explanation, sae: n.sae.id, layer: n.sae.layer }); };
  const edge = (source, target, hop) => {
    const key = source + '>' + target + '@' + hop.run;
    if (!edges.has(key)) edges.set(key, { source, target, weight: hop.weight, kind: 'CONNECTION', directed: true, stable: true, run: hop.run });
  };
  for (const u of g.upstream) {
    add(u.feature); edge(u.feature.id, g.id, u);
    for (const uu of u.feature.upstream || []) { add(uu.feature); edge(uu.feature.id, u.feature.id, uu); }
  }
  for (const d of g.downstream) {
    add(d.feature); edge(g.id, d.feature.id, d);
    for (const dd of d.feature.downstream || []) { add(dd.feature); edge(d.feature.id, dd.feature.id, dd); }
  }
  const list = [...edges.values()];
  if (!list.length) {
    mount(section, h('h2', {}, 'Across layers'), empty('No stable connection into or out of this feature.'));
    return;
  }
  mount(section, h('h2', {}, 'Across layers ', h('span', { class: 'muted' }, '(upstream and downstream cone, 2 hops)')),
    graphView({ nodes: [...nodes.values()], edges: list, layout: 'layers', centreSae: f.sae.id,
      label: 'Connections into and out of ' + f.id, height: 360 }),
    cypherBox(coneCypher(f.id, 2, CONE_PER_HOP), { title: 'Cypher of the cone', collapsed: true,
      note: 'Every stable connection drawn (upstream then downstream, strongest first per feature and hop).' }));
  wireBrowserLinks(section);
}

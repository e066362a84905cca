// Feature page: explanations, statistics, activating examples, neighbours by edge kind, a drawing and Cypher.
import { graphql, info } from '../api.js';
import { browserUrl, neighboursCypher } from '../cypher.js';
import { h, mount, s } from '../dom.js';
import { bool, featureHref, featureHrefFromId, num, percent, saeHref } from '../format.js';
import { neighbourhood } from '../graph.js';
import { FEATURE, NEIGHBOURS } from '../queries.js';
import { copyable, empty, errorBox, loading, table, tabs } from '../widgets.js';

const EXAMPLES = 8;
const NEIGHBOURS_PER_KIND = 20;

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
  const i = await info();
  if (signal.aborted) return;
  for (const a of main.querySelectorAll('a[data-browser]')) {
    const url = browserUrl(i.browser, a.dataset.browser);
    if (url) { a.href = url; a.hidden = false; }
  }
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

/** Activation density: firing tokens per (log-spaced) activation bin, as bars with the bin edges on hover. */
function histogram(hist) {
  if (!hist || !hist.counts.length) return null;
  const width = 320;
  const height = 64;
  const top = Math.max(1, ...hist.counts);
  const w = width / hist.counts.length;
  const bars = hist.counts.map((c, b) => s('rect', {
    x: (b * w + 1).toFixed(1), y: (height - (c / top) * height).toFixed(1),
    width: Math.max(1, w - 2).toFixed(1), height: ((c / top) * height).toFixed(1), class: 'bar',
  }, s('title', {}, num(hist.binEdges[b]) + ' – ' + num(hist.binEdges[b + 1]) + ': ' + num(c) + ' tokens')));
  return h('figure', { class: 'histogram' },
    s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
      'aria-label': 'Activation histogram' }, ...bars),
    h('figcaption', { class: 'muted' }, 'Activation density: firing tokens per bin, ',
      num(hist.binEdges[0]), ' to ', num(hist.binEdges[hist.binEdges.length - 1]), ' (log bins)'));
}

/** The communities and components this feature belongs to, with the shape that typed them. */
function communities(f) {
  if (!f.communities || !f.communities.length) return null;
  return h('section', {}, h('h2', {}, 'Communities'),
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Run', 'Kind', 'Size', 'Shape', 'Why', 'Mean cosine'].map((t) => h('th', {}, t)))),
      h('tbody', {}, f.communities.map((c) => h('tr', {},
        h('td', { class: 'mono' }, c.run),
        h('td', {}, c.kind + (c.algorithm ? ' (' + c.algorithm + ')' : '')),
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
    c.terms.length ? h('table', { class: 'grid' },
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
      rows.length ? neighbourhood(f, rows, { label: k.label + ' neighbourhood of ' + f.id }) : empty('No ' + k.label.toLowerCase() + ' edges.'),
      h('p', { class: 'legend muted' }, h('span', { class: 'swatch pos' }), 'positive ', h('span', { class: 'swatch neg' }), 'negative · width \u221d |weight|'));
    const text = neighboursCypher(f.id, k.kind);
    mount(cypher, h('h3', {}, 'Cypher'),
      h('p', { class: 'muted' }, 'Paste into Neo4j Browser to see the same ' + k.label.toLowerCase() + ' neighbours. ',
        h('a', { 'data-browser': text, hidden: true, target: '_blank', rel: 'noopener' }, 'Open in Neo4j Browser')),
      copyable(text));
  };

  const panel = (k) => () => neighbourPanel(f, k, state[k.id], () => show(k.id));
  const tabItems = KINDS.map((k) => ({ id: k.id, label: [k.label, ' ', h('span', { class: 'count' }, String(state[k.id].rows.length))], render: panel(k) }));
  const selected = params.get('tab') || KINDS.find((k) => state[k.id].rows.length)?.id || 'coactivation';

  return h('div', { class: 'feature-body' },
    h('div', { class: 'col-main' },
      explanations(f),
      computedFrom(f),
      feedsInto(f),
      h('section', {}, h('h2', {}, 'Top activating examples'), examples(f)),
      h('section', {}, h('h2', {}, 'Neighbours'), tabs('neighbours', tabItems, selected, (id) => {
        rememberTab(id);
        show(id);
      })),
      communities(f),
      similar(f)),
    h('aside', { class: 'col-side' }, drawing, cypher));
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
  return h('ol', { class: 'examples' }, f.examples.map((ex) => h('li', { class: 'example' },
    h('span', { class: 'example-max', title: 'Largest activation in this example' }, num(ex.maxValue, 2)),
    h('span', { class: 'tokens' }, ex.tokens.map((t, i) => token(t, ex.values[i] ?? 0, scale))))));
}

function token(text, value, scale) {
  const alpha = Math.min(1, Math.abs(value) / scale);
  const shown = String(text).replace(/\n/g, '\u21b5').replace(/\t/g, '\u21e5');
  return h('span', {
    class: 'tok' + (value < 0 ? ' neg' : '') + (alpha > 0.55 ? ' strong' : ''),
    style: alpha > 0 ? '--a:' + alpha.toFixed(3) : null,
    title: JSON.stringify(String(text)) + ' = ' + num(value, 4),
  }, shown);
}

function neighbourPanel(f, k, st, redraw) {
  const out = h('div', {});
  const list = h('div', {}, neighbourTable(f.sae.id, st.rows));
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
  out.append(controls, list);
  return out;
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
    ...(rows.some((r) => r.kind === 'IMPORTED') ? [{ label: 'Attributes', title: "The imported link's attributes",
      cell: (n) => h('span', { class: 'mono' }, edgeAttributes(n.attributes)) }] : []),
  ], rows, { class: 'neighbours' });
}

/** An imported link's attributes, short: "measure=attribution, count=12" (weight and key are shown elsewhere). */
function edgeAttributes(json) {
  let a = {};
  try { a = JSON.parse(json || '{}'); } catch (e) { return String(json); }
  return Object.entries(a).filter(([k]) => k !== 'weight').map(([k, v]) => k + '=' + (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

// Compare page: two SAEs or two runs side by side: the share of features matched, the comparisons of their graphs
// (degree and strength distributions with the JSD against both random baselines, ARI/NMI, shared and unique edges),
// and the matched features with both explanations.
import { graphql } from '../api.js';
import { bars, legend, lines } from '../charts.js';
import { cypherBox, literal } from '../cypher.js';
import { h, mount } from '../dom.js';
import { featureHrefFromId, num, runHref, saeHref } from '../format.js';
import { stat } from '../pages.js';
import { COMPARE, COMPARE_MATCHES } from '../queries.js';
import { empty, errorBox, facts, loading, table } from '../widgets.js';

const PAGE = 50;

/** The Cypher behind the matched-features table: the one-to-one matches of the match run, best first. */
function matchesCypher(run) {
  return [
    `MATCH (a:Feature)-[e:MATCHES {run: ${literal(run)}}]->(b:Feature) WHERE e.method ENDS WITH '/assignment'`,
    'RETURN a.id, a.explanation, b.id, b.explanation, e.score, e.method',
    'ORDER BY e.score DESC, a.index LIMIT 50',
  ].join('\n');
}

/** The Cypher behind a comparison's numbers. */
function comparisonCypher(id) {
  return `MATCH (c:Comparison {id: ${literal(id)}})-[s:COMPARES]->(r:Run)\nRETURN c {.*} AS comparison, s.side AS side, r.id AS run, r.degreeCounts AS degreeCounts`;
}

export async function renderCompare({ main, signal, a, b }) {
  document.title = a + ' vs ' + b + ' · SAE Feature Atlas';
  mount(main, loading('Loading ' + a + ' and ' + b));
  let data;
  try {
    data = await graphql(COMPARE, { a, b, first: PAGE }, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(main, errorBox(e, 'Could not compare ' + a + ' and ' + b));
    return;
  }
  const c = data.compare;
  const rows = h('tbody', {});
  const more = h('div', { class: 'more' });
  let shown = 0;
  function addPage(page) {
    rows.append(...page.edges.map(({ node }, k) => matchRow(node, shown + k + 1)));
    shown += page.edges.length;
    mount(more,
      h('p', { class: 'muted' }, 'Showing ' + num(shown) + ' of ' + num(page.totalCount) + ' one-to-one matches.'),
      page.pageInfo.hasNextPage ? h('button', { type: 'button', class: 'load-more', onclick: async () => {
        mount(more, loading('Loading more matches'));
        try {
          const next = await graphql(COMPARE_MATCHES, { a, b, run: page.run, first: PAGE, after: page.pageInfo.endCursor }, { signal });
          addPage(next.compare.matches);
        } catch (e) {
          if (e.name !== 'AbortError') mount(more, errorBox(e, 'Could not load more matches'));
        }
      } }, 'Load more matches') : null);
  }
  const side = (label, sae, run) => h('div', { class: 'compare-side', 'data-side': label },
    h('h2', {}, label + ': ', run ? h('a', { href: runHref(run.id) }, run.id) : h('a', { href: saeHref(sae.id) }, sae.id)),
    facts([
      ['SAE', h('a', { href: saeHref(sae.id) }, sae.id)], ['Layer', num(sae.layer)], ['Width', num(sae.width)], ['Seed', num(sae.seed)],
      ['Features', h('span', { 'data-field': 'featureCount' }, stat(sae.featureCount))],
      ['L0', h('span', { 'data-field': 'l0' }, stat(sae.l0, 2))], ['FVU', h('span', { 'data-field': 'fvu' }, stat(sae.fvu, 4))],
      run ? ['Run', run.kind + ' · ' + run.method] : null, run ? ['Edges', stat(run.edgeCount)] : null,
    ].filter(Boolean)));
  const matchRun = c.matchRuns.find((r) => r.id === c.matches.run) || null;
  mount(main,
    h('header', { class: 'page-head' },
      h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Catalogue'), ' / compare'),
      h('h1', {}, c.a, ' vs ', c.b)),
    h('div', { class: 'side-by-side' }, side('A', c.saeA, c.runA), side('B', c.saeB, c.runB)),
    h('section', { class: 'compare-share' }, h('h2', {}, 'Features matched'), shareSection(c)),
    h('section', { class: 'compare-comparisons' }, h('h2', {}, 'Graphs compared'),
      c.comparisons.length ? c.comparisons.map((x) => comparison(x, c)) : empty('No comparison of these ' + (c.of === 'RUN' ? 'runs' : "SAEs' runs") + ' is stored (./atlas compare <runA> <runB>).')),
    h('section', { class: 'compare-matches' }, h('h2', {}, 'Matched features'),
      matchRun ? h('p', { class: 'muted' }, 'One-to-one matches of ', h('a', { href: runHref(matchRun.id) }, matchRun.method), ' (', matchRun.id, '), best score first.') : null,
      c.matches.run ? [
        h('table', { class: 'matched-features' },
          h('thead', {}, h('tr', {}, ['#', 'Feature in A', 'Explanation', 'Feature in B', 'Explanation', 'Score'].map((l, i) => h('th', { scope: 'col', class: i === 5 ? 'num' : null }, l)))),
          rows),
        more,
        cypherBox(matchesCypher(c.matches.run), { title: 'Cypher: the matched features', collapsed: true }),
      ] : empty('No match run joins these two SAEs (./atlas match <saeA> <saeB>).')));
  if (c.matches.run) addPage(c.matches);
}

function shareSection(c) {
  if (!c.matchRuns.length) return h('p', { class: 'empty' }, h('span', { class: 'not-loaded' }, 'not loaded'), ': no match run joins ' + c.saeA.id + ' and ' + c.saeB.id + '.');
  return table([
    { label: 'Match run', cell: (r) => h('a', { href: runHref(r.id) }, r.method) },
    { label: 'Evidence', cell: (r) => r.kind === 'structural_match' ? h('span', { class: 'weak' }, 'structural (weak evidence)') : 'confident' },
    { label: 'Share of A matched', numeric: true, cell: (r) => h('span', { 'data-field': 'shareA' }, stat(r.saes[0] === c.saeA.id ? r.shareMatchedA : r.shareMatchedB, 3, { asPercent: true })) },
    { label: 'Share of B matched', numeric: true, cell: (r) => h('span', { 'data-field': 'shareB' }, stat(r.saes[0] === c.saeA.id ? r.shareMatchedB : r.shareMatchedA, 3, { asPercent: true })) },
  ], c.matchRuns, { class: 'match-runs' });
}

/** One stored comparison: its numbers, the two degree (and strength) distributions, and the JSD against baselines. */
function comparison(x, c) {
  const parts = [
    h('h3', {}, h('a', { href: runHref(x.runA) }, x.runA), ' vs ', h('a', { href: runHref(x.runB) }, x.runB)),
    facts([
      ['Matched features', h('span', { 'data-field': 'matchedFeatures' }, stat(x.matchedFeatures))],
      ['ARI (communities)', h('span', { 'data-field': 'ari' }, stat(x.ari, 4))],
      ['NMI (communities)', h('span', { 'data-field': 'nmi' }, stat(x.nmi, 4))],
      ['Edges in both (under the matching)', h('span', { 'data-field': 'sharedEdges' }, stat(x.sharedEdges))],
      ['Only in ' + x.runA, h('span', { 'data-field': 'onlyA' }, x.sharedEdges == null || x.matchedEdgesA == null ? stat(null) : stat(x.matchedEdgesA - x.sharedEdges))],
      ['Only in ' + x.runB, h('span', { 'data-field': 'onlyB' }, x.sharedEdges == null || x.matchedEdgesB == null ? stat(null) : stat(x.matchedEdgesB - x.sharedEdges))],
      ['Edge Jaccard', h('span', { 'data-field': 'edgeJaccard' }, stat(x.edgeJaccard, 4))],
      ['Seed-stable edges of ' + x.runA, x.analysedEdgesA == null ? null : [stat(x.seedStableEdgesA), ' of ', stat(x.analysedEdgesA)]],
      ['Seed-stable edges of ' + x.runB, x.analysedEdgesB == null ? null : [stat(x.seedStableEdgesB), ' of ', stat(x.analysedEdgesB)]],
    ]),
    h('p', { class: 'muted small' }, 'Jensen-Shannon divergence with log base 2 (the divergence, not its square root), in [0, 1]; lower is more alike. ',
      'The baselines are what two random graphs with the same nodes and edges (Erdős–Rényi) or the same degrees (degree-preserving rewiring) give, averaged over ',
      x.baselineSeeds == null ? 'their' : num(x.baselineSeeds), ' seeds.'),
    h('div', { class: 'chart-grid' },
      h('figure', { class: 'jsd-degree' }, h('figcaption', {}, h('strong', {}, 'Degree JSD')),
        bars([
          { label: 'observed', value: x.degreeJsd },
          { label: 'Erdős–Rényi', value: x.erDegreeJsd, cls: 'baseline-er' },
          { label: 'degree-preserving', value: x.rewiredDegreeJsd, cls: 'baseline-rewired' },
        ], 'Degree JSD of the two graphs against both random baselines')),
      h('figure', { class: 'jsd-strength' }, h('figcaption', {}, h('strong', {}, 'Strength JSD')),
        bars([
          { label: 'observed', value: x.strengthJsd },
          { label: 'Erdős–Rényi', value: x.erStrengthJsd, cls: 'baseline-er' },
          { label: 'degree-preserving', value: x.rewiredStrengthJsd, cls: 'baseline-rewired' },
        ], 'Strength JSD of the two graphs against both random baselines'))),
  ];
  const ga = x.graphA, gb = x.graphB;
  const d = x.distributions;
  if (d && d.degreeCountsA && d.degreeCountsB && d.erDegreeCountsA && d.erDegreeCountsB) {
    parts.push(...baselineDistributions(x, d));
  } else if (ga && gb && ga.degreeCounts && gb.degreeCounts) {
    const share = (counts) => {
      const total = counts.reduce((p, q) => p + q, 0) || 1;
      return counts.map((n, d) => [d, n / total]);
    };
    const series = [{ label: x.runA, points: share(ga.degreeCounts) }, { label: x.runB, points: share(gb.degreeCounts) }];
    parts.push(h('figure', { class: 'degree-compare' },
      lines(series, { label: 'Degree distributions of the two graphs (share of features by degree)', xLabel: 'degree', yLabel: 'share of features' }),
      legend(series)));
    if (ga.strengthCounts && gb.strengthCounts && ga.strengthBinWidth && gb.strengthBinWidth) {
      const strength = (g) => {
        const total = g.strengthCounts.reduce((p, q) => p + q, 0) || 1;
        return g.strengthCounts.map((n, i) => [i * g.strengthBinWidth, n / total]);
      };
      const ss = [{ label: x.runA, points: strength(ga) }, { label: x.runB, points: strength(gb) }];
      parts.push(h('figure', { class: 'strength-compare' },
        lines(ss, { label: 'Strength distributions of the two graphs (share of features by summed |weight|)', xLabel: 'strength', yLabel: 'share of features' }),
        legend(ss)));
    }
  } else {
    parts.push(h('p', { class: 'empty' }, 'Degree distributions: ', h('span', { class: 'not-loaded' }, 'not loaded'), ' (stored when both runs are analysed).'));
  }
  parts.push(cypherBox(comparisonCypher(x.id), { title: 'Cypher: this comparison', collapsed: true }));
  return h('article', { class: 'comparison', 'data-comparison': x.id }, parts);
}

/** Counts per degree (or strength bin) as [x, share of features] points; x of bin k is its upper edge k * width. */
function shares(counts, width = 1) {
  const total = counts.reduce((p, q) => p + q, 0) || 1;
  return counts.map((n, k) => [k * width, n / total]);
}

/**
 * The distributions the JSDs compare, with the random baselines as the distributions they are: A and B, and the mean
 * over the baseline seeds of the random versions of each (Erdős–Rényi; for strength also degree-preserving rewiring,
 * whose degrees are A's and B's own by construction).
 */
function baselineDistributions(x, d) {
  const caption = ' A is ' + x.runA + ', B is ' + x.runB + '; the random graphs are averaged over '
    + (x.baselineSeeds == null ? 'the' : num(x.baselineSeeds)) + ' seeds.';
  const degree = [
    { label: 'A', points: shares(d.degreeCountsA), key: 'degreeCountsA' },
    { label: 'B', points: shares(d.degreeCountsB), key: 'degreeCountsB' },
    { label: 'Erdős–Rényi of A', points: shares(d.erDegreeCountsA), key: 'erDegreeCountsA' },
    { label: 'Erdős–Rényi of B', points: shares(d.erDegreeCountsB), key: 'erDegreeCountsB' },
  ];
  const out = [figure('degree-baselines', degree, 'Degree distributions of A and B and of their Erdős–Rényi graphs'
    + ' (share of features by degree; rewiring keeps every degree).' + caption, 'degree')];
  if (d.strengthCountsA && d.strengthCountsB && d.strengthBinWidth) {
    const w = d.strengthBinWidth;
    const strength = [
      { label: 'A', points: shares(d.strengthCountsA, w), key: 'strengthCountsA' },
      { label: 'B', points: shares(d.strengthCountsB, w), key: 'strengthCountsB' },
      { label: 'Erdős–Rényi of A', points: shares(d.erStrengthCountsA || [], w), key: 'erStrengthCountsA' },
      { label: 'Erdős–Rényi of B', points: shares(d.erStrengthCountsB || [], w), key: 'erStrengthCountsB' },
      { label: 'rewired A', points: shares(d.rewiredStrengthCountsA || [], w), key: 'rewiredStrengthCountsA' },
      { label: 'rewired B', points: shares(d.rewiredStrengthCountsB || [], w), key: 'rewiredStrengthCountsB' },
    ];
    out.push(figure('strength-baselines', strength, 'Strength distributions of A and B and of their random graphs'
      + ' (share of features by summed |weight|, bins of ' + num(w, 4) + ').' + caption, 'strength'));
  }
  return out;
}

function figure(cls, series, label, xLabel) {
  const chart = lines(series, { label, xLabel, yLabel: 'share of features' });
  // each series' points carry the GraphQL field they come from
  series.forEach((se, k) => chart.querySelectorAll('circle.dot.s' + k).forEach((c) => { c.dataset.series = se.key; }));
  return h('figure', { class: cls }, h('figcaption', { class: 'muted small' }, label), chart, legend(series));
}

function matchRow(m, rank) {
  return h('tr', {},
    h('td', { class: 'num' }, String(rank)),
    h('td', {}, h('a', { href: featureHrefFromId(m.a.id), 'data-feature': m.a.id }, m.a.id)),
    h('td', {}, m.a.explanation ?? h('span', { class: 'muted' }, '—')),
    h('td', {}, h('a', { href: featureHrefFromId(m.b.id), 'data-feature': m.b.id, class: 'partner' }, m.b.id)),
    h('td', {}, m.b.explanation ?? h('span', { class: 'muted' }, '—')),
    h('td', { class: 'num' }, stat(m.score, 3)));
}

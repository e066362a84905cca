// Run page: every parameter; for dependence runs the FDR table as a chart (observed vs null-expected edges by
// replicate count, r* marked) with the estimates at r* as the run reports them; the degree and strength
// distributions; the top communities; comparisons; and the run's graph to download (CSV, GraphML, node-link).
import { apiLink, graphql } from '../api.js';
import { legend, lines } from '../charts.js';
import { cypherBox, literal, RELATIONSHIP } from '../cypher.js';
import { h, mount } from '../dom.js';
import { communityHref, compareHref, num, saeHref } from '../format.js';
import { prettyJson, stat } from '../pages.js';
import { catalogue } from '../catalogue.js';
import { RUN } from '../queries.js';
import { empty, errorBox, facts, loading, table } from '../widgets.js';
import { comparisonList } from './sae.js';

const RELATIONSHIP_OF_KIND = {
  dependence: RELATIONSHIP.DEPENDENCE, coactivation: RELATIONSHIP.COACTIVATION, cosine: RELATIONSHIP.COSINE,
  match: RELATIONSHIP.MATCH, structural_match: RELATIONSHIP.MATCH, imported: RELATIONSHIP.IMPORTED,
  connection: RELATIONSHIP.CONNECTION,
};

/** The Cypher behind the page: the run node (parameters, FDR table, distributions) and its strongest edges. */
function runCypher(run) {
  const rel = RELATIONSHIP_OF_KIND[run.kind] || 'DEPENDS';
  return [
    `MATCH (r:Run {id: ${literal(run.id)}})`,
    `OPTIONAL MATCH (a:Feature)-[e:${rel} {run: r.id}]->(b:Feature)`,
    'WITH r, a, e, b ORDER BY abs(coalesce(e.weight, e.score, 0)) DESC LIMIT 25',
    'RETURN r {.*} AS run, collect([a.id, b.id, e {.*}]) AS strongestEdges',
  ].join('\n');
}

export async function renderRun({ main, signal, runId }) {
  document.title = 'Run ' + runId + ' · SAE Feature Atlas';
  mount(main, loading('Loading run ' + runId));
  let data;
  try {
    data = await graphql(RUN, { id: runId }, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    const known = await runInCatalogue(runId);
    if (signal.aborted) return;
    mount(main, known && known.status !== 'complete' ? incomplete(known) : errorBox(e, 'Could not load run ' + runId));
    return;
  }
  const run = data.run;
  mount(main,
    h('header', { class: 'page-head' },
      h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, run.sae.model.name), ' / ',
        h('a', { href: saeHref(run.sae.id) }, run.sae.id), ' / run'),
      h('h1', {}, h('span', { class: 'chip kind-' + String(run.kind).toLowerCase() }, run.kind), ' ', run.id),
      facts([
        ['Method', run.method], ['Status', run.status],
        ['SAEs', (run.saes && run.saes.length ? run.saes : [run.sae.id]).map((x, i) => [i ? ', ' : '', h('a', { href: saeHref(x) }, x)])],
        ['Edges', h('span', { 'data-field': 'edgeCount' }, stat(run.edgeCount))],
        ['Software', run.software], ['Created', run.createdAt],
      ]),
      exportButtons(run)),
    run.kind === 'dependence' ? h('section', { class: 'run-fdr' }, h('h2', {}, 'Threshold: replicates and the FDR table'), fdrSection(run)) : null,
    run.kind === 'match' || run.kind === 'structural_match' ? h('section', { class: 'run-match' }, h('h2', {}, 'Matching'), matchSection(run)) : null,
    run.kind === 'connection' ? h('section', { class: 'run-connection' }, h('h2', {}, 'Connections'), connectionSection(run)) : null,
    h('section', { class: 'run-degrees' }, h('h2', {}, 'Degree and strength distributions'), degreeSection(run)),
    h('section', { class: 'run-communities' }, h('h2', {}, 'Top communities'), communitySection(run)),
    h('section', { class: 'run-comparisons' }, h('h2', {}, 'Comparisons'), comparisonList(data.comparisons)),
    h('section', { class: 'run-parameters' }, h('h2', {}, 'Parameters'), parameterSection(run.parameters)),
    cypherBox(runCypher(run), { title: 'Cypher: this run and its strongest edges', collapsed: true }));
}

function exportButtons(run) {
  const url = (format) => apiLink('/api/runs/' + encodeURIComponent(run.id) + '/export?format=' + format);
  return h('div', { class: 'export' },
    h('p', { class: 'muted small' }, 'Download the graph (the same files as ./atlas export):'),
    h('div', { class: 'export-buttons' },
      h('a', { href: url('csv'), download: '', 'data-format': 'csv' }, 'CSV edge list'),
      h('a', { href: url('graphml'), download: '', 'data-format': 'graphml' }, 'GraphML'),
      h('a', { href: url('nodelink'), download: '', 'data-format': 'nodelink' }, 'node-link JSON (networkx)')));
}

function fdrSection(run) {
  const rows = run.fdrTable;
  const parts = [facts([
    ['r* (replicates an edge needs)', h('span', { 'data-field': 'rStar' }, stat(run.rStar))],
    ['Rule', run.thresholdRule ?? h('span', { class: 'not-loaded' }, 'not loaded')],
    ['Chance FDR at r* (null trials)', h('span', { 'data-field': 'estimatedChanceFdr' }, stat(run.estimatedChanceFdr, 4))],
    ['Indirect share at r* (planted twin)', h('span', { 'data-field': 'estimatedIndirectShare' },
      run.estimatedIndirectShare == null ? h('span', { class: 'not-loaded' }, 'not estimated') : stat(run.estimatedIndirectShare, 4))],
    ['Total error at r*', h('span', { 'data-field': 'estimatedTotalError' }, stat(run.estimatedTotalError, 4))],
    ['Explained away', run.explainedAway == null ? null : stat(run.explainedAway)],
    ['|cosine| vs |weight| (Pearson r)', run.cosineStrengthCorrelation == null ? null : stat(run.cosineStrengthCorrelation, 3)],
  ])];
  if (run.thresholdReason) parts.push(h('p', { class: 'threshold-reason' }, 'Why: ' + run.thresholdReason));
  parts.push(h('p', { class: 'muted small indirect-note' },
    'Chance FDR counts edges that the matched null trials (features shuffled independently) also produce: expected null / observed. ',
    'It does not count indirect edges, true dependences that are not direct (A–B seen because both depend on C); ',
    run.estimatedIndirectShare == null
      ? 'this run did not estimate them (chance-only threshold), so read its stable edges as "dependent, maybe indirectly".'
      : 'this run estimated their share on a planted twin of the data and chose r* by the sum of both.'));
  if (!rows.length) {
    parts.push(empty('No FDR table stored for this run.'));
    return parts;
  }
  const series = [
    { label: 'observed edges', points: rows.map((x) => [x.r, x.observed]) },
    { label: 'expected under the null', points: rows.map((x) => [x.r, x.expectedNull]) },
  ];
  parts.push(h('figure', { class: 'fdr-chart' },
    lines(series, { label: 'Edges seen in at least r of the trials: observed and expected under the null', xLabel: 'replicates r (edges seen in ≥ r trials)',
      yLabel: 'edges', logY: true, marks: run.rStar == null ? [] : [{ x: run.rStar, label: 'r* = ' + run.rStar }] }),
    legend(series)));
  parts.push(table([
    { label: 'r', numeric: true, cell: (x) => x.r === run.rStar ? h('strong', {}, String(x.r) + ' = r*') : num(x.r) },
    { label: 'Observed edges', numeric: true, cell: (x) => stat(x.observed) },
    { label: 'Expected under null', numeric: true, cell: (x) => stat(x.expectedNull, 2) },
    { label: 'Chance FDR', numeric: true, cell: (x) => stat(x.fdrEstimate, 4) },
    { label: 'Indirect share', numeric: true, cell: (x) => x.indirectShare == null ? h('span', { class: 'not-loaded' }, 'not estimated') : stat(x.indirectShare, 4) },
    { label: 'Total error', numeric: true, cell: (x) => stat(x.totalError, 4) },
  ], rows, { class: 'fdr' }));
  return parts;
}

function matchSection(run) {
  const [a, b] = run.saes || [];
  return [facts([
    ['SAE A', a ? h('a', { href: saeHref(a) }, a) : null], ['SAE B', b ? h('a', { href: saeHref(b) }, b) : null],
    ['Share of A matched one-to-one', stat(run.shareMatchedA, 3, { asPercent: true })],
    ['Share of B matched one-to-one', stat(run.shareMatchedB, 3, { asPercent: true })],
    ['Graphs matched (structural)', run.graphRuns ? run.graphRuns.join(', ') : null],
  ]), run.kind === 'structural_match' ? h('p', { class: 'weak' }, 'Matching by neighbourhood structure is weak evidence: it never counts towards seed stability or comparisons.') : null,
  a && b ? h('p', {}, h('a', { class: 'compare-link', href: compareHref(a, b) }, 'Compare ' + a + ' and ' + b + ' side by side')) : null];
}

function connectionSection(run) {
  const [up, down] = run.saes || [];
  return facts([
    ['Upstream', up ? h('a', { href: saeHref(up) }, up) : null], ['Downstream', down ? h('a', { href: saeHref(down) }, down) : null],
    ['Stable connections', stat(run.stableConnections)], ['Linear threshold', stat(run.linearThreshold, 4)],
    ['Nonlinear baseline', run.baseline], ['Features evaluated', stat(run.linearEvaluated)],
    ['Linear features', stat(run.linearFeatures)], ['Share linear', stat(run.linearShare, 3, { asPercent: true })],
  ]);
}

function degreeSection(run) {
  if (!run.degreeCounts) {
    return h('p', { class: 'empty' }, h('span', { class: 'not-loaded' }, 'not loaded'), ': the distributions are stored when the run is analysed (./atlas analyse ' + run.id + ').');
  }
  const degrees = run.degreeCounts.map((c, d) => [d, c]);
  const parts = [
    facts([['Features with an edge', stat(run.nodesWithEdges)], ['Largest degree', stat(run.degreeCounts.length - 1)]]),
    h('figure', { class: 'degree-chart' }, lines([{ label: 'features', points: degrees }],
      { label: 'Degree distribution: features by number of edges', xLabel: 'degree', yLabel: 'features', logY: true })),
  ];
  if (run.strengthCounts && run.strengthBinWidth) {
    const strengths = run.strengthCounts.map((c, i) => [i * run.strengthBinWidth, c]);
    parts.push(h('figure', { class: 'strength-chart' }, lines([{ label: 'features', points: strengths }],
      { label: 'Strength distribution: features by summed |weight| (bin width ' + num(run.strengthBinWidth, 4) + ')', xLabel: 'strength (sum of |weight|)', yLabel: 'features', logY: true })));
  }
  return parts;
}

function communitySection(run) {
  if (!run.analyses.length) return h('p', { class: 'empty' }, 'Not analysed: ./atlas analyse ' + run.id + ' finds components and communities.');
  const a = run.analyses[0];
  const list = a.communities.edges.map((e) => e.node);
  return [
    facts([['Algorithm', a.algorithm + (a.seed == null ? '' : ' (seed ' + a.seed + ')')], ['Communities', stat(a.communityCount)],
      ['Components', stat(a.componentCount)], ['Modularity', stat(a.modularity, 4)]]),
    list.length ? table([
      { label: 'Community', cell: (c) => h('a', { href: communityHref(c.id), 'data-community': c.id }, 'community ' + c.index) },
      { label: 'Size', numeric: true, cell: (c) => stat(c.size) },
      { label: 'Edges', numeric: true, cell: (c) => stat(c.edges) },
      { label: 'Density', numeric: true, cell: (c) => stat(c.density, 3) },
      { label: 'Shape', cell: (c) => [c.type, c.reason ? h('span', { class: 'muted small' }, ' (' + c.reason + ')') : null] },
      { label: 'Hub', cell: (c) => c.hub ? (c.hub.explanation ?? c.hub.id) : '—' },
      { label: 'Near-duplicates', cell: (c) => c.nearDuplicate ? 'likely' : '' },
    ], list, { class: 'communities' }) : empty('No communities.'),
    a.communities.totalCount > list.length ? h('p', { class: 'muted small' }, 'The ' + list.length + ' largest of ' + num(a.communities.totalCount) + '.') : null,
  ];
}

function parameterSection(text) {
  let params = null;
  try { params = JSON.parse(text); } catch (e) { /* shown raw below */ }
  const rows = [];
  const walk = (prefix, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.entries(v).forEach(([k, x]) => walk(prefix ? prefix + '.' + k : k, x));
    else rows.push([prefix, Array.isArray(v) ? JSON.stringify(v) : String(v)]);
  };
  if (params && typeof params === 'object') walk('', params);
  return [
    rows.length ? table([
      { label: 'Parameter', cell: (r) => h('code', {}, r[0]) },
      { label: 'Value', cell: (r) => r[1] },
    ], rows, { class: 'parameters' }) : empty('No parameters stored.'),
    h('details', {}, h('summary', {}, 'as JSON'), h('pre', { class: 'code' }, prettyJson(text))),
  ];
}

/** The run as the catalogue lists it (every status), with its SAE; null when the catalogue has no such run. */
async function runInCatalogue(runId) {
  try {
    for (const m of await catalogue()) {
      for (const x of m.saes) {
        const r = x.runs.find((y) => y.id === runId);
        if (r) return { ...r, saeId: x.id };
      }
    }
  } catch (e) { /* the error box says what failed */ }
  return null;
}

/** A run that is not complete: the API serves complete runs only, so say what it is rather than "not found". */
function incomplete(r) {
  return h('section', { class: 'run-incomplete' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Catalogue'), ' / ', h('a', { href: saeHref(r.saeId) }, r.saeId), ' / run'),
    h('h1', {}, h('span', { class: 'chip kind-' + String(r.kind).toLowerCase() + ' incomplete' }, r.kind), ' ', r.id),
    h('p', { role: 'status' }, 'This run is ', h('strong', { 'data-field': 'status' }, r.status ?? 'not complete'),
      ': its edges are being written, or a build stopped before it completed. The atlas serves complete runs only; ',
      'it appears here once complete (rebuilding resumes or replaces it).'),
    facts([['Method', r.method], ['Created', r.createdAt]]));
}

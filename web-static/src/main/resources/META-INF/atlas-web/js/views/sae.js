// SAE page: its facts, its graph runs (with the FDR table of dependence runs) and its features in index order.
import { graphql } from '../api.js';
import { h, mount } from '../dom.js';
import { featureHref, num, percent } from '../format.js';
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

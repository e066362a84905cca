// Search: ranked hits with highlighted snippets, filters by model / SAE / layer, cursor pagination.
import { graphql } from '../api.js';
import { cypherBox, searchCypher } from '../cypher.js';
import { catalogue } from '../catalogue.js';
import { h, mount, snippet } from '../dom.js';
import { featureHref, num, percent, saeHref, searchHref } from '../format.js';
import { SEARCH } from '../queries.js';
import { empty, errorBox, loading } from '../widgets.js';
import { searchForm } from './home.js';

const PAGE = 20;

export async function renderSearch({ main, params, signal }) {
  const q = (params.get('q') || '').trim();
  const chosen = { model: params.get('model') || '', sae: params.get('sae') || '', layer: params.get('layer') || '' };
  document.title = (q ? q + ' · ' : '') + 'Search · SAE Feature Atlas';

  const filters = h('div', { class: 'filters' }, loading('Loading filters'));
  const results = h('ol', { class: 'hits', 'aria-live': 'polite' });
  const status = h('div', { class: 'status' });
  const more = h('div', { class: 'more' });
  mount(main,
    h('section', {}, h('h1', { class: 'visually-hidden' }, 'Search'), searchForm(q), filters),
    h('section', {}, status, results, more));

  catalogue().then((models) => {
    if (!signal.aborted) mount(filters, filterControls(models, q, chosen));
  }, (e) => mount(filters, errorBox(e, 'Filters unavailable: the catalogue did not load')));

  if (!q) {
    mount(status, empty('Type a query above. Lucene syntax: words, "a phrase", prefix*, fuzzy~, AND/OR/NOT.'));
    return;
  }
  const variables = { text: q, filters: toFilters(chosen), first: PAGE };
  let rank = 0;

  async function page(after) {
    mount(more, loading(after ? 'Loading more' : 'Searching'));
    let data;
    try {
      data = await graphql(SEARCH, { ...variables, after }, { signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      mount(more, errorBox(e, 'Search failed'));
      return;
    }
    const { edges, pageInfo } = data.search;
    if (!after) {
      mount(status, edges.length ? null : empty('No explanation matches “' + q + '”' + (variables.filters ? ' with these filters.' : '.')));
      if (edges.length) {
        results.after(cypherBox(searchCypher(q, variables.filters, PAGE), { title: 'Cypher of these hits', collapsed: true,
          note: 'The first ' + PAGE + ' hits, from Neo4j\u2019s full-text index of the explanations.' }));
      }
    }
    results.append(...edges.map((edge) => hit(edge, ++rank)));
    mount(more, pageInfo.hasNextPage
      ? h('button', { type: 'button', class: 'load-more', onclick: (e) => { page(pageInfo.endCursor); } }, 'Load more results')
      : (rank ? h('p', { class: 'muted' }, rank + ' result' + (rank === 1 ? '' : 's') + ', all shown.') : null));
  }
  await page(null);
}

function toFilters({ model, sae, layer }) {
  const f = {};
  if (model) f.models = [model];
  if (sae) f.saes = [sae];
  if (layer !== '' && !Number.isNaN(Number(layer))) f.layers = [Number(layer)];
  return Object.keys(f).length ? f : null;
}

function hit(edge, rank) {
  const f = edge.feature;
  const sae = f.sae;
  return h('li', { class: 'hit' },
    h('span', { class: 'rank', 'aria-hidden': 'true' }, String(rank)),
    h('div', { class: 'hit-body' },
      h('a', { class: 'hit-title', href: featureHref(sae.id, f.index) }, h('span', { class: 'feature-id' }, f.id)),
      h('p', { class: 'snippet' }, snippet(edge.snippet)),
      h('p', { class: 'meta' },
        h('a', { href: saeHref(sae.id) }, sae.model.name, ' · layer ', num(sae.layer), ' · width ', num(sae.width)),
        f.firingRate == null ? ' · no activations loaded' : [' · firing ', percent(f.firingRate),
          ' · max ', num(f.maxActivation)],
        edge.explanation.source ? ' · ' + edge.explanation.source : null,
        edge.explanation.score !== null && edge.explanation.score !== undefined ? ' (score ' + num(edge.explanation.score) + ')' : null,
        h('span', { class: 'score', title: 'BM25 score' }, 'BM25 ', num(edge.score, 2)))));
}

function filterControls(models, q, chosen) {
  const saes = models.flatMap((m) => m.saes.map((s) => ({ ...s, modelId: m.id })));
  const layers = [...new Set(saes.map((s) => s.layer).filter((l) => l !== null && l !== undefined))].sort((a, b) => a - b);
  const go = (change) => { location.hash = searchHref({ q, ...chosen, ...change }); };

  const select = (label, name, options, value, onchange) => h('label', {},
    label, ' ',
    h('select', { name, onchange: (e) => onchange(e.target.value) },
      h('option', { value: '' }, 'any'),
      options.map(([v, text]) => h('option', { value: v, selected: String(v) === value }, text))));

  const visibleSaes = chosen.model ? saes.filter((s) => s.modelId === chosen.model) : saes;
  const any = chosen.model || chosen.sae || chosen.layer;
  return h('form', { class: 'filter-row', onsubmit: (e) => e.preventDefault() },
    select('Model', 'model', models.map((m) => [m.id, m.name]), chosen.model, (v) => go({ model: v, sae: '' })),
    select('SAE', 'sae', visibleSaes.map((s) => [s.id, s.id + (s.layer !== null && s.layer !== undefined ? ' (L' + s.layer + ')' : '')]), chosen.sae, (v) => go({ sae: v })),
    select('Layer', 'layer', layers.map((l) => [String(l), String(l)]), chosen.layer, (v) => go({ layer: v })),
    any ? h('a', { href: searchHref({ q }), class: 'clear' }, 'Clear filters') : null);
}

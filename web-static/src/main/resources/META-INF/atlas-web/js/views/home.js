// Home: one search box for everything (explanations, feature ids, SAEs, runs) and the catalogue as a grid per model:
// a row per layer, a column per width and seed, a card per SAE with its L0, FVU, feature count and runs with status.
import { catalogue } from '../catalogue.js';
import { h, mount } from '../dom.js';
import { featureHref, num, runHref, saeHref, searchHref } from '../format.js';
import { cypherBox } from '../cypher.js';
import { stat } from '../pages.js';
import { empty, errorBox, loading } from '../widgets.js';

/** The Cypher behind the catalogue: every model's SAEs with their feature counts and runs. */
const CATALOGUE_CYPHER = [
  'MATCH (m:Model)<-[:OF_MODEL]-(s:Sae)',
  'OPTIONAL MATCH (r:Run) WHERE r.sae = s.id OR s.id IN coalesce(r.saes, [])',
  'RETURN m.id AS model, s.layer AS layer, s.width AS width, s.seed AS seed, s.id AS sae, s.l0 AS l0, s.fvu AS fvu,',
  '       COUNT { (s)<-[:IN_SAE]-() } AS features, collect(r.kind + \' \' + r.status) AS runs',
  'ORDER BY model, layer, width, seed',
].join('\n');

/** The explanation search form of the search page (kept for it). */
export function searchForm(q = '', autofocus = false) {
  const input = h('input', {
    type: 'search', name: 'q', value: q, autofocus, placeholder: 'Search explanations: negation, "closing bracket", python*, colour~',
    'aria-label': 'Search feature explanations', autocomplete: 'off', spellcheck: 'false',
  });
  return h('form', { class: 'search-form', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (text) location.hash = searchHref({ q: text });
  } }, input, h('button', { type: 'submit' }, 'Search'));
}

/**
 * Where the home box goes for a query: a feature id opens the feature, an SAE or run id its page, anything else
 * searches the explanations.
 */
export function destination(query, models) {
  const q = query.trim();
  const saes = models.flatMap((m) => m.saes);
  if (saes.some((x) => x.id === q)) return saeHref(q);
  const run = saes.flatMap((x) => x.runs).find((r) => r.id === q);
  if (run) return runHref(run.id);
  const jump = /^(.+)\/(\d+)$/.exec(q);
  if (jump && !/\s/.test(q) && saes.some((x) => x.id === jump[1])) return featureHref(jump[1], jump[2]);
  return searchHref({ q });
}

/** SAEs and runs whose id, model, release or hook point contains every word of the query. */
function catalogueHits(query, models) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const hits = [];
  for (const m of models) {
    for (const x of m.saes) {
      const hay = [m.id, m.name, x.id, x.release, x.hookPoint, 'layer ' + x.layer].join(' ').toLowerCase();
      if (words.every((w) => hay.includes(w))) hits.push({ href: saeHref(x.id), label: x.id, what: 'SAE' });
      for (const r of x.runs) {
        if (r.sae && r.sae !== x.id) continue;
        const rh = [r.id, r.kind, r.method, x.id].join(' ').toLowerCase();
        if (words.every((w) => rh.includes(w)) && !hits.some((hh) => hh.label === r.id)) {
          hits.push({ href: runHref(r.id), label: r.id, what: r.kind + ' run' });
        }
      }
    }
  }
  return hits.slice(0, 12);
}

export async function renderHome({ main, signal }) {
  document.title = 'SAE Feature Atlas';
  const list = h('div', {}, loading('Loading the catalogue'));
  const hits = h('ul', { class: 'catalogue-hits', 'aria-live': 'polite' });
  let models = [];
  const input = h('input', {
    type: 'search', name: 'q', autofocus: true, id: 'home-search',
    placeholder: 'Search everything: explanations ("closing bracket", python*), feature ids (sae/123), SAEs, runs',
    'aria-label': 'Search explanations, features, SAEs and runs', autocomplete: 'off', spellcheck: 'false',
    oninput: () => showHits(),
  });
  function showHits() {
    const found = catalogueHits(input.value, models);
    mount(hits, found.map((x) => h('li', {}, h('a', { href: x.href }, x.label), ' ', h('span', { class: 'muted' }, x.what))));
  }
  mount(main,
    h('section', { class: 'hero' },
      h('h1', {}, 'SAE Feature Atlas'),
      h('form', { class: 'search-form', role: 'search', onsubmit: (e) => {
        e.preventDefault();
        if (input.value.trim()) location.hash = destination(input.value, models);
      } }, input, h('button', { type: 'submit' }, 'Search')),
      h('p', { class: 'muted' }, 'Enter searches the explanations (Lucene syntax: words, "a phrase", prefix*, fuzzy~, AND/OR/NOT), ',
        'or opens a feature (', h('kbd', {}, 'sae-id/index'), '), an SAE or a run by its id; matching SAEs and runs are listed as you type. ',
        'Press ', h('kbd', {}, '/'), ' to focus search.'),
      hits),
    h('section', {}, h('h2', {}, 'Catalogue'), list, cypherBox(CATALOGUE_CYPHER, { title: 'Cypher: the catalogue', collapsed: true })));
  input.focus();
  try {
    models = await catalogue();
  } catch (e) {
    if (!signal.aborted) mount(list, errorBox(e, 'Could not load the catalogue'));
    return;
  }
  if (signal.aborted) return;
  if (!models.length) {
    mount(list, empty('The atlas is empty: no model has been ingested yet (./atlas demo, or ./atlas build atlas.yaml).'));
    return;
  }
  showHits();
  mount(list, models.map(modelGrid));
}

const key = (x) => (x.width ?? '') + '/' + (x.seed ?? '');

/** One model: rows are layers, columns width x seed, cells the SAEs (several when they share all three). */
function modelGrid(model) {
  if (!model.saes.length) return h('article', { class: 'model' }, h('h3', {}, model.name), empty('No SAEs.'));
  const columns = [...new Map(model.saes.map((x) => [key(x), x])).values()]
    .sort((a, b) => (a.width ?? 0) - (b.width ?? 0) || (a.seed ?? -1) - (b.seed ?? -1))
    .map(key);
  const layers = [...new Set(model.saes.map((x) => x.layer ?? null))].sort((a, b) => (a ?? -1) - (b ?? -1));
  const head = (k) => {
    const [width, seed] = k.split('/');
    return h('th', { scope: 'col' }, 'width ' + (width ? num(Number(width)) : '—'), h('br'), h('span', { class: 'muted' }, 'seed ' + (seed === '' ? '—' : seed)));
  };
  return h('article', { class: 'model' },
    h('h3', {}, model.name, model.name !== model.id ? h('span', { class: 'muted id' }, ' ', model.id) : null,
      ' ', h('span', { class: 'muted' }, '· ' + num(model.saes.length) + (model.saes.length === 1 ? ' SAE' : ' SAEs'))),
    h('div', { class: 'grid-scroll' }, h('table', { class: 'catalogue-grid', 'data-model': model.id },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Layer'), columns.map(head))),
      h('tbody', {}, layers.map((layer) => h('tr', {},
        h('th', { scope: 'row' }, layer === null ? '—' : 'layer ' + layer),
        columns.map((k) => h('td', {}, model.saes.filter((x) => (x.layer ?? null) === layer && key(x) === k).map(saeCard)))))))));
}

function saeCard(x) {
  const own = x.runs.filter((r) => !r.saes || r.saes[0] === x.id || r.kind !== 'match');
  return h('div', { class: 'sae-card', 'data-sae': x.id },
    h('a', { class: 'sae-link', href: saeHref(x.id) }, x.id),
    x.hookPoint ? h('div', { class: 'muted small' }, h('code', {}, x.hookPoint)) : null,
    h('dl', { class: 'mini' },
      h('dt', {}, 'features'), h('dd', { 'data-field': 'featureCount' }, stat(x.featureCount)),
      h('dt', {}, 'L0'), h('dd', { 'data-field': 'l0' }, stat(x.l0, 2)),
      h('dt', {}, 'FVU'), h('dd', { 'data-field': 'fvu' }, stat(x.fvu, 4))),
    runChips(own));
}

/** Runs as chips linking to their pages: kind, edges, and the status when not complete. */
export function runChips(runs) {
  if (!runs || !runs.length) return h('span', { class: 'muted small' }, 'no runs');
  return h('span', { class: 'chips' }, runs.map((r) => h('a', {
    href: runHref(r.id),
    class: 'chip kind-' + String(r.kind).toLowerCase() + (r.status && r.status !== 'complete' ? ' incomplete' : ''),
    'data-run': r.id, 'data-status': r.status ?? '',
    title: [r.id, r.method, r.status, r.createdAt, r.rStar !== null && r.rStar !== undefined ? 'r* = ' + r.rStar : null].filter(Boolean).join(' · '),
  }, String(r.kind), ' ', h('span', { class: 'muted' }, num(r.edgeCount)),
  r.status && r.status !== 'complete' ? h('span', { class: 'status' }, ' ' + r.status) : null)));
}

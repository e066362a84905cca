// Home: a prominent search box and the catalogue of models, SAEs and runs.
import { catalogue } from '../catalogue.js';
import { h, mount } from '../dom.js';
import { num, saeHref, searchHref } from '../format.js';
import { empty, errorBox, loading, table } from '../widgets.js';

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

export async function renderHome({ main, signal }) {
  document.title = 'SAE Feature Atlas';
  const list = h('div', {}, loading('Loading the catalogue'));
  mount(main,
    h('section', { class: 'hero' },
      h('h1', {}, 'Search SAE features'),
      h('p', { class: 'muted' }, 'Full-text search over feature explanations (Lucene syntax: words, "a phrase", prefix*, fuzzy~, AND/OR/NOT). ',
        'Type ', h('kbd', {}, 'sae-id/index'), ' in the header box to jump to a feature; press ', h('kbd', {}, '/'), ' to focus search.'),
      searchForm('', true)),
    h('section', {}, h('h2', {}, 'Catalogue'), list));
  main.querySelector('input[type=search]').focus();
  let models;
  try {
    models = await catalogue();
  } catch (e) {
    mount(list, errorBox(e, 'Could not load the catalogue'));
    return;
  }
  if (signal.aborted) return;
  if (!models.length) {
    mount(list, empty('The atlas is empty: no model has been ingested yet.'));
    return;
  }
  mount(list, models.map(modelSection));
}

function modelSection(model) {
  const saes = [...model.saes].sort((a, b) => (a.layer ?? -1) - (b.layer ?? -1) || a.width - b.width || String(a.id).localeCompare(b.id));
  return h('article', { class: 'model' },
    h('h3', {}, model.name, model.name !== model.id ? h('span', { class: 'muted id' }, ' ', model.id) : null),
    saes.length ? table([
      { label: 'SAE', cell: (s) => h('a', { href: saeHref(s.id) }, s.id) },
      { label: 'Layer', numeric: true, cell: (s) => num(s.layer) },
      { label: 'Hook', cell: (s) => s.hookPoint ? h('code', {}, s.hookPoint) : '—' },
      { label: 'Width', numeric: true, cell: (s) => num(s.width) },
      { label: 'Seed', numeric: true, cell: (s) => num(s.seed) },
      { label: 'Features', numeric: true, cell: (s) => num(s.featureCount) },
      { label: 'Release', cell: (s) => s.release ?? '—' },
      { label: 'Runs', cell: (s) => runChips(s.runs) },
    ], saes, { class: 'catalogue' }) : empty('No SAEs.'));
}

export function runChips(runs) {
  if (!runs || !runs.length) return h('span', { class: 'muted' }, 'none');
  return h('span', { class: 'chips' }, runs.map((r) => h('span', {
    class: 'chip kind-' + String(r.kind).toLowerCase(),
    title: [r.id, r.method, r.createdAt, r.rStar !== null && r.rStar !== undefined ? 'r* = ' + r.rStar : null].filter(Boolean).join(' · '),
  }, String(r.kind), ' ', h('span', { class: 'muted' }, num(r.edgeCount) + ' edges'))));
}

// Community page (#/community/<community id>): its shape type and why, the members with their explanations, the
// community drawn with the run's edges among its members, its counterparts in other SAEs (through the members'
// confident matches) and the Cypher of each part.
import { graphql } from '../api.js';
import { communityCypher, counterpartsCypher, cypherBox, wireBrowserLinks } from '../cypher.js';
import { h, mount } from '../dom.js';
import { bool, communityHref, featureHrefFromId, num, percent, saeHref } from '../format.js';
import { subgraphView } from '../graph.js';
import { COMMUNITY } from '../queries.js';
import { empty, errorBox, facts, loading, table } from '../widgets.js';

/** Members listed (the server's cap for Community.members). */
const MEMBERS = 200;

export async function renderCommunity({ main, signal, communityId }) {
  document.title = 'Community ' + communityId + ' · SAE Feature Atlas';
  mount(main, loading('Loading community ' + communityId));
  let data;
  try {
    data = await graphql(COMMUNITY, { id: communityId, members: MEMBERS }, { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    mount(main, errorBox(e, 'Could not load community ' + communityId));
    return;
  }
  const c = data.community;
  if (!c) {
    mount(main, h('section', {}, h('h1', {}, 'No such community'),
      h('p', {}, 'The atlas has no community ', h('code', {}, communityId), ' in a complete analysis. ',
        h('a', { href: '#/' }, 'Back to the catalogue'), '.')));
    return;
  }
  const sae = c.members.length ? c.members[0].sae : null;
  mount(main,
    h('header', { class: 'page-head' },
      h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
        sae ? [h('a', { href: '#/' }, sae.model.name), ' / ', h('a', { href: saeHref(sae.id) }, sae.id), ' / '] : null,
        'run ', h('code', {}, c.run), ' / ', c.kind + ' ' + c.index),
      h('h1', {}, (c.kind === 'component' ? 'Component ' : 'Community ') + c.index, ' ',
        h('span', { class: 'muted id' }, c.id)),
      h('p', { class: 'lead' }, h('strong', { class: 'shape-type' }, c.type.replace(/_/g, ' ')),
        c.reason ? [' because ', h('span', { class: 'shape-reason' }, c.reason)] : null,
        c.nearDuplicate ? h('span', { class: 'muted' }, ' · members look like near-duplicates (high mean decoder cosine)') : null),
      shape(c)),
    h('div', { class: 'feature-body' },
      h('div', { class: 'col-main' },
        h('section', {}, h('h2', {}, 'Drawn with its edges ', h('span', { class: 'muted' }, '(run ' + (c.subgraph.run ?? c.run) + ')')),
          c.subgraph.nodes.length
            ? subgraphView(c.subgraph, { layout: 'force', label: 'Community ' + c.id, centre: c.hub ? c.hub.id : null,
              centreSae: sae ? sae.id : null })
            : empty('No members to draw.'),
          c.subgraph.truncated ? h('p', { class: 'muted' }, 'Only part of the community is drawn (node cap).') : null),
        h('section', {}, h('h2', {}, 'Members ', h('span', { class: 'muted' }, '(' + num(c.members.length) + (c.size > c.members.length ? ' of ' + num(c.size) : '') + ')')),
          members(c)),
        h('section', {}, h('h2', {}, 'Counterparts in other SAEs'), counterparts(c))),
      h('aside', { class: 'col-side' },
        cypherBox(communityCypher(c.id), { title: 'Cypher of the members and edges', note: 'Every member with its explanation, and the run\u2019s edges among them.' }),
        cypherBox(counterpartsCypher(c.id), { title: 'Cypher of the counterparts', note: 'Communities in other runs holding the members\u2019 confident matches.' }))));
  if (!signal.aborted) wireBrowserLinks(main);
}

function shape(c) {
  return facts([
    ['Size', num(c.size)],
    ['Edges', c.edges == null ? null : num(c.edges)],
    ['Density', c.density == null ? null : num(c.density)],
    ['Max degree', c.maxDegree == null ? null : num(c.maxDegree)],
    ['Mean degree', c.meanDegree == null ? null : num(c.meanDegree)],
    ['Centralisation (Freeman)', c.centralisation == null ? null : num(c.centralisation)],
    ['Clustering', c.clustering == null ? null : num(c.clustering)],
    ['Diameter', c.diameter == null ? null : num(c.diameter)],
    ['Mean decoder cosine', c.meanCosine == null ? null : num(c.meanCosine)],
    ['Near-duplicates', c.nearDuplicate == null ? null : bool(c.nearDuplicate)],
    ['Algorithm', c.algorithm],
    ['Hub', c.hub ? h('a', { href: featureHrefFromId(c.hub.id), class: 'feature-id' }, c.hub.id) : null],
  ]);
}

function members(c) {
  if (!c.members.length) return empty('No members.');
  const hub = c.hub ? c.hub.id : null;
  return table([
    { label: 'Feature', cell: (m) => h('a', { href: featureHrefFromId(m.id), class: 'feature-id', 'data-id': m.id }, m.id === hub ? m.id + ' (hub)' : m.id) },
    { label: 'Explanation', cell: (m) => m.explanation ?? h('span', { class: 'muted' }, '—') },
    { label: 'Firing rate', numeric: true, cell: (m) => m.firingRate == null ? h('span', { class: 'muted' }, 'not loaded') : percent(m.firingRate) },
  ], c.members, { class: 'members' });
}

/**
 * Communities of the same kind in other runs that hold the members' confident matches (structural matches are
 * weak evidence and left out), largest overlap first: for each, how many members have a partner in it.
 */
export function counterpartRows(c) {
  const byCommunity = new Map();
  for (const m of c.members) {
    for (const n of m.match || []) {
      if (n.method && n.method.startsWith('structural')) continue;
      for (const d of n.feature.communities || []) {
        if (d.kind !== c.kind || d.run === c.run) continue;
        if (!byCommunity.has(d.id)) byCommunity.set(d.id, { community: d, sae: n.feature.sae.id, members: new Set() });
        byCommunity.get(d.id).members.add(m.id);
      }
    }
  }
  return [...byCommunity.values()].sort((a, b) => b.members.size - a.members.size || (a.community.id < b.community.id ? -1 : 1));
}

function counterparts(c) {
  const rows = counterpartRows(c);
  if (!rows.length) return empty('No member has a confident match in another SAE\u2019s ' + c.kind + 's.');
  return table([
    { label: 'Counterpart', cell: (r) => h('a', { href: communityHref(r.community.id), 'data-id': r.community.id }, r.community.id) },
    { label: 'SAE', cell: (r) => h('a', { href: saeHref(r.sae) }, r.sae) },
    { label: 'Run', cell: (r) => h('code', {}, r.community.run) },
    { label: 'Shape', cell: (r) => r.community.type.replace(/_/g, ' ') },
    { label: 'Size', numeric: true, cell: (r) => num(r.community.size) },
    { label: 'Members matched into it', numeric: true, title: 'Members of this community whose confident match is a member of that one',
      cell: (r) => h('span', { class: 'shared' }, num(r.members.size)) },
  ], rows, { class: 'counterparts' });
}

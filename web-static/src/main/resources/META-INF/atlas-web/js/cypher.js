// The Cypher behind every view: each page and tab shows the exact query that returns what it shows, with "Open in
// Neo4j Browser". Graph vocabulary as the ingest writes it: (:Feature {id: '<sae>/<index>'}), edges COACTIVATES /
// DEPENDS / COSINE / MATCHES / LINKS / CONNECTS carrying {run}, (:Explanation)-[:EXPLAINS]->(:Feature),
// (:Feature)-[:MEMBER_OF]->(:Community {id}).
//
// Use: `cypherBox(text, {title, note})` returns the block (a heading, the Browser link, the copyable query); the
// block carries data-cypher="<the query>" so the browser tests can run every query a page shows against the atlas
// and compare its rows with the page. `wireBrowserLinks(root)` (called once a page is mounted) fills the links'
// addresses from /api/info (they stay hidden when the server knows no Browser, e.g. against a remote Neo4j).
import { info } from './api.js';
import { h } from './dom.js';
import { copyable } from './widgets.js';

export const RELATIONSHIP = {
  COACTIVATION: 'COACTIVATES',
  DEPENDENCE: 'DEPENDS',
  COSINE: 'COSINE',
  MATCH: 'MATCHES',
  IMPORTED: 'LINKS',
  CONNECTION: 'CONNECTS',
};

/** A Cypher string literal (single quotes, backslash-escaped). */
export function literal(text) {
  return "'" + String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

/** A Cypher number literal; integers stay integers. */
function number(value) {
  return Number.isInteger(value) ? String(value) : String(Number(value));
}

/**
 * A feature's neighbours of one kind as the page lists them: the edges of one run (the run the rows came from),
 * the same filters, strongest first (|weight| descending, then the neighbour's id), at most `limit` rows.
 * direction: 'UPSTREAM' (edges into the feature) or 'DOWNSTREAM' (edges out of it); undirected otherwise.
 * Columns: neighbour (the id), explanation, weight, then the edge and the neighbour to draw.
 */
export function neighboursCypher(featureId, kind, { run = null, limit = 20, stableOnly = false, minReplicates = null,
  sign = null, direction = null } = {}) {
  const rel = RELATIONSHIP[kind] || RELATIONSHIP.COACTIVATION;
  const props = run ? ` {run: ${literal(run)}}` : '';
  const pattern = direction === 'UPSTREAM' ? `(f)<-[e:${rel}${props}]-(g:Feature)`
    : direction === 'DOWNSTREAM' ? `(f)-[e:${rel}${props}]->(g:Feature)` : `(f)-[e:${rel}${props}]-(g:Feature)`;
  const where = [];
  if (stableOnly) where.push('e.stable = true');
  if (minReplicates !== null && minReplicates !== undefined) where.push('e.replicates >= ' + number(minReplicates));
  if (sign === 'POSITIVE') where.push('coalesce(e.weight, e.score) > 0');
  if (sign === 'NEGATIVE') where.push('coalesce(e.weight, e.score) < 0');
  return [
    `MATCH (f:Feature {id: ${literal(featureId)}})`,
    `MATCH ${pattern}`,
    where.length ? 'WHERE ' + where.join(' AND ') : null,
    // a match run links a pair once per method (assignment, mutual nearest): one row per partner, its best
    kind === 'MATCH' ? 'WITH g, e ORDER BY abs(coalesce(e.weight, e.score)) DESC, e.method\nWITH g, collect(e)[0] AS e' : null,
    'RETURN g.id AS neighbour, g.explanation AS explanation, coalesce(e.weight, e.score) AS weight, e, g',
    `ORDER BY abs(coalesce(e.weight, e.score)) DESC, g.id, e.method, e.key LIMIT ${number(limit)}`,
  ].filter(Boolean).join('\n');
}

/** A community's members (by index) with their explanations, and the run's edges among them. */
export function communityCypher(communityId) {
  return [
    `MATCH (f:Feature)-[:MEMBER_OF]->(c:Community {id: ${literal(communityId)}})`,
    'OPTIONAL MATCH (f)-[e {run: c.run}]->(g:Feature)-[:MEMBER_OF]->(c)',
    'RETURN f.id AS member, f.explanation AS explanation, collect(e) AS edges, collect(g) AS targets, f',
    'ORDER BY f.index',
  ].join('\n');
}

/**
 * The counterparts of a community's members in other SAEs: their matches (confident ones, not structural) and the
 * communities of the same kind those partners belong to, largest overlap first.
 */
export function counterpartsCypher(communityId) {
  return [
    `MATCH (f:Feature)-[:MEMBER_OF]->(c:Community {id: ${literal(communityId)}})`,
    'MATCH (f)-[m:MATCHES]-(g:Feature)-[:MEMBER_OF]->(d:Community {kind: c.kind})',
    "WHERE NOT m.method STARTS WITH 'structural' AND d.run <> c.run",
    'RETURN d.id AS counterpart, d.run AS run, d.type AS type, d.size AS size, count(DISTINCT f) AS sharedMembers',
    'ORDER BY sharedMembers DESC, counterpart',
  ].join('\n');
}

/**
 * A feature's cone across layers as the feature page draws it: its stable connections from below (the strongest
 * `perHop`), and theirs (again the strongest `perHop` each), then the same downstream. One row per connection:
 * upstream, downstream, weight, run, and the relationship for Browser to draw. (Two hops; each hop of every
 * connection run, where the page asks the newest connection run of each SAE, the same when an SAE has one.)
 */
export function coneCypher(featureId, hops = 2, perHop = 12) {
  const k = number(perHop);
  const side = (into) => {
    const step = (from, e, other) => into
      ? `MATCH (${from})<-[${e}:CONNECTS {stable: true}]-(${other}:Feature)`
      : `MATCH (${from})-[${e}:CONNECTS {stable: true}]->(${other}:Feature)`;
    const lines = [
      `MATCH (f:Feature {id: ${literal(featureId)}})`,
      `UNWIND COLLECT { ${step('f', 'e', 'g')} RETURN e ORDER BY abs(e.weight) DESC, g.id LIMIT ${k} } AS e1`,
    ];
    if (hops >= 2) {
      lines.push(`WITH e1, ${into ? 'startNode(e1)' : 'endNode(e1)'} AS g`,
        `UNWIND [e1] + COLLECT { ${step('g', 'e', 'h')} RETURN e ORDER BY abs(e.weight) DESC, h.id LIMIT ${k} } AS e`);
    } else {
      lines.push('WITH e1 AS e');
    }
    lines.push('RETURN startNode(e).id AS upstream, endNode(e).id AS downstream, e.weight AS weight, e.run AS run, e');
    return lines;
  };
  return [...side(true), 'UNION', ...side(false)].join('\n');
}

/** How a feature is computed from the layer below: its connections in one run, strongest first. */
export function formulaCypher(featureId, run, stableOnly = true) {
  return [
    `MATCH (u:Feature)-[e:CONNECTS {run: ${literal(run)}}]->(f:Feature {id: ${literal(featureId)}})`,
    stableOnly ? 'WHERE e.stable = true' : null,
    'RETURN u.id AS upstream, u.explanation AS explanation, e.weight AS weight, e.replicates AS replicates',
    'ORDER BY abs(e.weight) DESC, upstream',
  ].filter(Boolean).join('\n');
}

/**
 * A search's first page through Neo4j's full-text index: the same hits in the same order as the page (BM25, ties by
 * explanation id; the server ranks with its own Lucene index of the same text, tested to agree), the same filters.
 */
export function searchCypher(text, filters = null, limit = 20) {
  const where = [];
  if (filters && filters.models) where.push('node.model IN [' + filters.models.map(literal).join(', ') + ']');
  if (filters && filters.saes) where.push('node.sae IN [' + filters.saes.map(literal).join(', ') + ']');
  if (filters && filters.layers) where.push('node.layer IN [' + filters.layers.map(number).join(', ') + ']');
  return [
    `CALL db.index.fulltext.queryNodes('explanation_text', ${literal(text)}) YIELD node, score`,
    where.length ? 'WHERE ' + where.join(' AND ') : null,
    `WITH node, score ORDER BY score DESC, node.id LIMIT ${number(limit)}`,
    'MATCH (node)-[:EXPLAINS]->(f:Feature)',
    'RETURN f.id AS feature, node.text AS explanation, score, f',
    'ORDER BY score DESC, node.id',
  ].filter(Boolean).join('\n');
}

/** The feature itself with its explanations and statistics. */
export function featureCypher(featureId) {
  return [
    `MATCH (f:Feature {id: ${literal(featureId)}})`,
    'OPTIONAL MATCH (x:Explanation)-[:EXPLAINS]->(f)',
    'RETURN f.id AS id, f.firingRate AS firingRate, f.meanActivation AS meanActivation, f.maxActivation AS maxActivation,',
    '       collect(x.text) AS explanations',
  ].join('\n');
}

/** A Neo4j Browser URL that opens the editor with the query filled in (its cmd=edit&arg= parameters). */
export function browserUrl(base, cypher) {
  if (!base) return null;
  const sep = base.includes('?') ? '&' : '?';
  return base + sep + 'cmd=edit&arg=' + encodeURIComponent(cypher);
}

/**
 * The Cypher block of a view: a heading, an "Open in Neo4j Browser" link (hidden until /api/info says where
 * Browser is) and the copyable query. `note` says what the query returns; `collapsed` folds it under its heading.
 */
export function cypherBox(text, { title = 'Cypher', note = null, collapsed = false } = {}) {
  const link = h('a', { class: 'browser-link', 'data-browser': text, hidden: true, target: '_blank', rel: 'noopener' }, 'Open in Neo4j Browser');
  const parts = [h('p', { class: 'muted' }, note ?? 'The query that returns what this view shows.', ' ', link), copyable(text)];
  const box = collapsed
    ? h('details', { class: 'cypher', 'data-cypher': text }, h('summary', {}, h('h3', {}, title)), ...parts)
    : h('div', { class: 'cypher', 'data-cypher': text }, h('h3', {}, title), ...parts);
  fill(link);
  return box;
}

async function fill(link) {
  const i = await info();
  const url = browserUrl(i.browser, link.dataset.browser);
  if (url) { link.href = url; link.hidden = false; }
}

/** Fills every `a[data-browser]` under root (links made elsewhere than cypherBox). */
export async function wireBrowserLinks(root) {
  const i = await info();
  for (const a of root.querySelectorAll('a[data-browser]')) {
    const url = browserUrl(i.browser, a.dataset.browser);
    if (url) { a.href = url; a.hidden = false; }
  }
}

// Pieces the catalogue, SAE, run and compare pages share: numbers as GraphQL gave them (or "not loaded", never 0)
// and the "open in Neo4j Browser" box for the Cypher behind a page.
import { info } from './api.js';
import { browserUrl } from './cypher.js';
import { h } from './dom.js';
import { num, percent } from './format.js';
import { copyable } from './widgets.js';

/**
 * A number for display: formatted, with the exact value GraphQL gave in data-value (and the tooltip); an absent
 * statistic reads "not loaded".
 */
export function stat(value, digits = 3, { asPercent = false } = {}) {
  if (value === null || value === undefined) return h('span', { class: 'not-loaded' }, 'not loaded');
  return h('span', { class: 'val', 'data-value': String(value), title: String(value) },
    asPercent ? percent(value) : num(value, digits));
}

/**
 * The Cypher behind a view: a link that opens Neo4j Browser with it (when the server knows Browser), and the text;
 * data-cypher carries the query for tests. (Same call as cypher.js's cypherBox, which replaces it once there.)
 */
export function cypherBox(cypher, { title = 'this view' } = {}) {
  const link = h('a', { class: 'browser-link', target: '_blank', rel: 'noopener', hidden: true }, 'Open in Neo4j Browser');
  info().then((i) => {
    const url = browserUrl(i.browser, cypher);
    if (url) { link.href = url; link.hidden = false; }
  });
  return h('details', { class: 'cypher', 'data-cypher': cypher }, h('summary', {}, 'Cypher: ' + title), link, copyable(cypher));
}

/** JSON parameters pretty-printed (the text as is when it is not JSON). */
export function prettyJson(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return String(text); }
}

// Pieces the catalogue, SAE, run and compare pages share: numbers as GraphQL gave them (or "not loaded", never 0).
import { h } from './dom.js';
import { num, percent } from './format.js';

/**
 * A number for display: formatted, with the exact value GraphQL gave in data-value (and the tooltip); an absent
 * statistic reads "not loaded".
 */
export function stat(value, digits = 3, { asPercent = false } = {}) {
  if (value === null || value === undefined) return h('span', { class: 'not-loaded' }, 'not loaded');
  return h('span', { class: 'val', 'data-value': String(value), title: String(value) },
    asPercent ? percent(value) : num(value, digits));
}

/** JSON parameters pretty-printed (the text as is when it is not JSON). */
export function prettyJson(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return String(text); }
}

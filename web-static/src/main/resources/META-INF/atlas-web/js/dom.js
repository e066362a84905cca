// DOM building without innerHTML: every string from the server ends up in a text node or an attribute
// set through setAttribute, so nothing it says can become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child, [more, children]).
 * Attributes starting with "on" become listeners; null/undefined/false attributes and children are skipped.
 */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" };

/** Undoes the server's HTML escaping of snippet text; the result only ever becomes a text node. */
function unescapeEntities(s) {
  return s.replace(/&(lt|gt|amp|quot|#39);/g, (m) => ENTITIES[m]);
}

/**
 * A search snippet as DOM. The server HTML-escapes the explanation and wraps matches in <mark>...</mark>:
 * those tags become <mark> elements, the rest is unescaped into text nodes (so nothing becomes markup).
 * Unbalanced tags are tolerated.
 */
export function snippet(text) {
  const out = document.createDocumentFragment();
  let mark = null;
  for (const part of String(text ?? '').split(/(<\/?mark>)/i)) {
    const tag = part.toLowerCase();
    if (tag === '<mark>') { mark = h('mark'); out.append(mark); continue; }
    if (tag === '</mark>') { mark = null; continue; }
    if (part) (mark || out).append(document.createTextNode(unescapeEntities(part)));
  }
  return out;
}

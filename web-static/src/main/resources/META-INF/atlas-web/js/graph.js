// The graph view: neighbourhoods, communities and cross-layer cones drawn with Cytoscape.js (a WebJar served by the
// atlas itself, loaded by index.html as window.cytoscape). Pan and zoom with the mouse or the buttons, hover a node
// for its explanation, click (or Enter on the list below the drawing) to open it. Edge width follows |weight|,
// colour the sign, line style the edge kind; directed and cross-layer edges end in arrows. Cross-layer graphs are
// laid out layer by layer (columns ordered by layer, upstream on the left).
import { h } from './dom.js';
import { featureHrefFromId, num } from './format.js';

/** Line style per edge kind. */
const KIND_STYLE = {
  DEPENDENCE: 'solid',
  CONNECTION: 'solid',
  COACTIVATION: 'dashed',
  COSINE: 'dotted',
  MATCH: 'dashed',
  IMPORTED: 'solid',
};

/** Above this many elements, labels and edges hide while panning so it stays smooth. */
const LARGE = 1500;

function colour(name, alpha = 1) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return /^\d/.test(v) ? `rgba(${v.split(/\s+/).join(',')},${alpha})` : (v || '#888');
}

function shortText(text, n = 38) {
  if (!text) return '';
  return text.length > n ? text.slice(0, n - 1) + '\u2026' : text;
}

/** The short name of a feature: '#index' in the centre's SAE, 'sae/index' elsewhere. */
function shortId(id, sae) {
  const cut = id.lastIndexOf('/');
  return cut >= 0 && id.slice(0, cut) === sae ? '#' + id.slice(cut + 1) : id;
}

/**
 * graphView({nodes, edges, layout, label, centreSae})
 * nodes: [{id, explanation?, layer?, sae?, centre?}]; edges: [{source, target, weight, kind, directed?, stable?,
 * title?}]. layout: 'concentric' (the centre in the middle, neighbours by strength), 'force' (communities),
 * 'layers' (columns by layer, for cross-layer graphs). Returns the element (the drawing, its controls, a legend and
 * a keyboard-navigable list of the nodes); the Cytoscape instance is its `cy` property once drawn.
 */
export function graphView({ nodes, edges, layout = 'concentric', label = 'Graph', centreSae = null, height = 420 }) {
  const canvas = h('div', { class: 'graph-canvas', style: 'height:' + height + 'px', role: 'img',
    'aria-label': label + ': ' + nodes.length + ' features, ' + edges.length + ' edges' });
  const tip = h('div', { class: 'graph-tip', hidden: true, role: 'tooltip' });
  const status = h('span', { class: 'muted graph-status' }, nodes.length + ' features · ' + edges.length + ' edges');
  const labels = h('input', { type: 'checkbox', name: 'labels', checked: nodes.length <= 60 });
  const controls = h('div', { class: 'graph-controls' },
    h('button', { type: 'button', title: 'Zoom in', onclick: () => zoom(1.25) }, '+'),
    h('button', { type: 'button', title: 'Zoom out', onclick: () => zoom(0.8) }, '\u2212'),
    h('button', { type: 'button', title: 'Fit the whole graph', onclick: () => el.cy && el.cy.fit(undefined, 24) }, 'Fit'),
    h('label', { title: 'Show explanations next to the nodes' }, labels, ' explanations'),
    status);
  const list = h('details', { class: 'graph-list' }, h('summary', {}, 'Features in this drawing (' + nodes.length + ')'),
    h('ul', {}, nodes.map((n) => h('li', {}, h('a', { href: featureHrefFromId(n.id), class: 'feature-id' }, n.id),
      n.explanation ? ' ' + n.explanation : ''))));
  const el = h('figure', { class: 'graph-view', 'data-layout': layout, 'data-nodes': String(nodes.length),
    'data-edges': String(edges.length) }, controls, canvas, tip, legend(edges), list);

  function zoom(f) {
    const cy = el.cy;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  const draw = () => {
    if (typeof window.cytoscape !== 'function') {
      canvas.replaceChildren(h('p', { class: 'muted' }, 'The graph library did not load; the features are listed below.'));
      list.open = true;
      return;
    }
    el.cy = build(canvas, tip, nodes, edges, layout, centreSae, labels.checked);
    labels.addEventListener('change', () => el.cy.nodes().toggleClass('labelled', labels.checked));
    // the container may still be settling (fonts, the page's grid): refit while the user has not moved the view
    let touched = false;
    el.cy.one('tapstart scrollzoom', () => { touched = true; });
    const refit = () => {
      if (touched || !el.cy) return;
      el.cy.resize();
      el.cy.fit(undefined, 24);
      // a handful of features would fill the canvas with giant labels: stop at a readable zoom
      if (el.cy.zoom() > 1.5) {
        el.cy.zoom(1.5);
        el.cy.center();
      }
    };
    setTimeout(refit, 0);
    if (typeof ResizeObserver === 'function') new ResizeObserver(refit).observe(canvas);
  };
  // Cytoscape measures its container: draw once the element is in the page (mount is synchronous, so the next
  // task normally finds it there; timers rather than animation frames, which a background tab may not run).
  let tries = 0;
  const wait = () => {
    if (el.isConnected) draw();
    else if (tries++ < 300) setTimeout(wait, 20);
  };
  setTimeout(wait, 0);
  return el;
}

function legend(edges) {
  const kinds = [...new Set(edges.map((e) => e.kind).filter(Boolean))];
  const directed = edges.some((e) => e.directed);
  return h('figcaption', { class: 'legend muted' },
    h('span', { class: 'swatch pos' }), 'positive ', h('span', { class: 'swatch neg' }), 'negative · width \u221d |weight|',
    kinds.length ? ' · ' + kinds.map((k) => k.toLowerCase() + ' ' + (KIND_STYLE[k] || 'solid')).join(', ') : '',
    directed ? ' · arrows point downstream (source \u2192 target)' : '',
    ' · scroll to zoom, drag to pan, click a feature to open it');
}

function build(container, tip, nodes, edges, layout, centreSae, labelled) {
  const max = Math.max(1e-12, ...edges.map((e) => Math.abs(e.weight || 0)));
  const known = new Set(nodes.map((n) => n.id));
  const elements = [];
  for (const n of nodes) {
    elements.push({
      group: 'nodes',
      data: { id: n.id, short: shortId(n.id, centreSae), text: shortId(n.id, centreSae) + (n.explanation ? '  ' + shortText(n.explanation) : ''),
        explanation: n.explanation || '', layer: n.layer ?? 0, sae: n.sae || '' },
      classes: [n.centre ? 'centre' : '', labelled ? 'labelled' : ''].join(' '),
    });
  }
  edges.forEach((e, i) => {
    if (!known.has(e.source) || !known.has(e.target)) return;
    const strength = Math.abs(e.weight || 0) / max;
    elements.push({
      group: 'edges',
      data: { id: 'e' + i, source: e.source, target: e.target, weight: e.weight, width: 0.75 + 5 * strength,
        title: e.title || (e.source + (e.directed ? ' \u2192 ' : ' \u2014 ') + e.target + '  weight ' + num(e.weight)) },
      classes: [(e.weight || 0) < 0 ? 'neg' : 'pos', e.directed ? 'directed' : '', e.stable === false ? 'unstable' : '',
        'kind-' + String(e.kind || 'DEPENDENCE').toLowerCase()].join(' '),
    });
  });
  const large = elements.length > LARGE;
  const fg = colour('--fg');
  // seeded: a force layout's random start is the same on every visit
  const cy = seeded(() => window.cytoscape({
    container,
    elements,
    minZoom: 0.05,
    maxZoom: 6,
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    hideLabelsOnViewport: large,
    pixelRatio: large ? 1 : 'auto',
    style: [
      { selector: 'node', style: {
        'background-color': colour('--pos'), width: 14, height: 14, 'border-width': 1.5, 'border-color': colour('--panel'),
        label: 'data(short)', 'font-size': 9, 'font-family': 'monospace', color: fg, 'text-valign': 'top', 'text-margin-y': -3,
        'min-zoomed-font-size': 6 } },
      { selector: 'node.labelled', style: { label: 'data(text)', 'text-wrap': 'ellipsis', 'text-max-width': 220 } },
      { selector: 'node.centre', style: { 'background-color': fg, width: 22, height: 22, 'font-weight': 'bold' } },
      { selector: 'node:selected, node.hover', style: { 'border-color': fg, 'border-width': 2.5 } },
      { selector: 'edge', style: {
        width: 'data(width)', 'line-color': colour('--pos', 0.55), 'curve-style': 'bezier', 'line-style': 'solid',
        'target-arrow-color': colour('--pos', 0.8), 'arrow-scale': 0.8 } },
      { selector: 'edge.neg', style: { 'line-color': colour('--neg', 0.55), 'target-arrow-color': colour('--neg', 0.8) } },
      { selector: 'edge.directed', style: { 'target-arrow-shape': 'triangle' } },
      { selector: 'edge.unstable', style: { opacity: 0.45 } },
      ...Object.entries(KIND_STYLE).map(([k, style]) => ({ selector: 'edge.kind-' + k.toLowerCase(), style: { 'line-style': style } })),
    ],
    layout: layoutOptions(layout, nodes, large),
  }));
  cy.on('tap', 'node', (evt) => { location.hash = featureHrefFromId(evt.target.id()); });
  cy.on('mouseover', 'node', (evt) => {
    const n = evt.target;
    n.addClass('hover');
    container.style.cursor = 'pointer';
    tip.textContent = n.id() + (n.data('explanation') ? ': ' + n.data('explanation') : '');
    place(tip, container, evt.renderedPosition);
  });
  cy.on('mouseover', 'edge', (evt) => {
    tip.textContent = evt.target.data('title');
    place(tip, container, evt.renderedPosition);
  });
  cy.on('mouseout', 'node, edge', (evt) => {
    evt.target.removeClass('hover');
    container.style.cursor = '';
    tip.hidden = true;
  });
  cy.on('viewport', () => { tip.hidden = true; });
  return cy;
}

/**
 * Calls make() (which builds the graph and runs its layout synchronously) with Math.random replaced by a seeded
 * generator, so a force layout's random start is the same on every visit: the same community draws the same way.
 */
function seeded(make) {
  const original = Math.random;
  let state = 20261205;
  Math.random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  try {
    return make();
  } finally {
    Math.random = original;
  }
}

function place(tip, container, pos) {
  tip.hidden = false;
  tip.style.left = Math.round(container.offsetLeft + (pos ? pos.x : 0) + 12) + 'px';
  tip.style.top = Math.round(container.offsetTop + (pos ? pos.y : 0) + 12) + 'px';
}

function layoutOptions(layout, nodes, large) {
  if (layout === 'layers') {
    // columns by layer (then by SAE within a layer), upstream on the left; each column spread evenly, features of
    // a column in id order so the same cone draws the same way twice
    const columns = new Map();
    for (const n of nodes) {
      const key = (n.layer ?? 0) + '\u0000' + (n.sae || '');
      if (!columns.has(key)) columns.set(key, []);
      columns.get(key).push(n);
    }
    const keys = [...columns.keys()].sort((a, b) => {
      const [la, sa] = a.split('\u0000');
      const [lb, sb] = b.split('\u0000');
      return Number(la) - Number(lb) || sa.localeCompare(sb);
    });
    const positions = {};
    keys.forEach((key, c) => {
      const col = columns.get(key).sort((a, b) => (a.centre ? -1 : 0) - (b.centre ? -1 : 0) || a.id.localeCompare(b.id, 'en', { numeric: true }));
      col.forEach((n, r) => { positions[n.id] = { x: c * 260, y: (r - (col.length - 1) / 2) * 46 }; });
    });
    return { name: 'preset', positions: (node) => positions[node.id()], fit: true, padding: 24 };
  }
  if (layout === 'force' && !large) {
    const side = Math.round(140 * Math.sqrt(nodes.length));
    return { name: 'cose', animate: false, randomize: true, boundingBox: { x1: 0, y1: 0, w: side, h: side }, nodeRepulsion: () => 40000, idealEdgeLength: () => 90,
      fit: true, padding: 24 };
  }
  // concentric: the centre in the middle, then rings by degree (a large force layout would not stay smooth)
  return { name: 'concentric', fit: true, padding: 24, minNodeSpacing: 36, avoidOverlap: !large,
    concentric: (node) => (node.hasClass('centre') ? 1e9 : node.degree()), levelWidth: () => 2 };
}

/**
 * A feature's neighbourhood from its neighbour rows (as the feature page lists them): the feature in the centre,
 * one edge per row (a multigraph's parallel edges stay distinct), directed rows pointing their way.
 */
export function neighbourhood(centre, rows, { label = 'Neighbourhood' } = {}) {
  const nodes = [{ id: centre.id, explanation: centre.explanation, centre: true, sae: centre.sae?.id, layer: centre.sae?.layer }];
  const seen = new Set([centre.id]);
  for (const r of rows) {
    if (!seen.has(r.feature.id)) {
      seen.add(r.feature.id);
      nodes.push({ id: r.feature.id, explanation: r.feature.explanation, sae: r.feature.sae?.id, layer: r.feature.sae?.layer });
    }
  }
  const edges = rows.map((r) => ({
    source: r.directed && !r.outgoing ? r.feature.id : centre.id,
    target: r.directed && !r.outgoing ? centre.id : r.feature.id,
    weight: r.weight, kind: r.kind, directed: !!r.directed, stable: r.stable,
  }));
  const crossSae = nodes.some((n) => n.sae && n.sae !== centre.sae?.id);
  return graphView({ nodes, edges, label, centreSae: centre.sae?.id, layout: 'concentric', height: crossSae ? 380 : 360 });
}

/** A Subgraph from GraphQL ({nodes, edges}) as a graph view. */
export function subgraphView(sub, { layout = 'force', label = 'Graph', centre = null, centreSae = null } = {}) {
  const nodes = sub.nodes.map((n) => ({ id: n.id, explanation: n.explanation, sae: n.sae?.id, layer: n.sae?.layer, centre: n.id === centre }));
  const edges = sub.edges.map((e) => ({ source: e.source, target: e.target, weight: e.weight, kind: e.kind,
    directed: !!e.directed, stable: e.stable }));
  return graphView({ nodes, edges, layout, label, centreSae });
}

// A radial neighbourhood drawing: the feature in the centre, neighbours on a circle (stronger ones closer),
// edge width proportional to |weight|, colour by sign. Plain SVG, no layout library.
import { s } from './dom.js';
import { featureHrefFromId } from './format.js';

const SIZE = 360;
const C = SIZE / 2;

/**
 * neighbours: [{weight, feature: {id, index, explanation}, directed?, outgoing?}]; at most `limit` neighbours are
 * drawn, strongest first. Parallel edges to one neighbour (a multigraph) are drawn side by side, and edges of a
 * directed graph end in an arrow pointing from source to target.
 */
export function neighbourhood(centre, neighbours, { limit = 24, label = 'Neighbourhood' } = {}) {
  const byFeature = new Map();
  for (const n of [...neighbours].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))) {
    if (!byFeature.has(n.feature.id)) byFeature.set(n.feature.id, []);
    byFeature.get(n.feature.id).push(n);
  }
  const shown = [...byFeature.values()].slice(0, limit);
  const max = Math.max(1e-12, ...shown.map((g) => Math.abs(g[0].weight)));
  const directed = neighbours.some((n) => n.directed);
  const svg = s('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, class: 'neighbourhood' + (directed ? ' directed' : ''), role: 'img', 'aria-label': label + ': ' + shown.length + ' neighbours' });
  if (directed) {
    svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
  }
  const edges = s('g', { class: 'edges' });
  const nodes = s('g', { class: 'nodes' });
  svg.append(edges, nodes);

  shown.forEach((group, i) => {
    const n = group[0];
    const strength = Math.abs(n.weight) / max;
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / shown.length;
    const r = 80 + 70 * (1 - strength) + (shown.length > 12 && i % 2 ? 14 : 0);
    const x = C + r * Math.cos(angle);
    const y = C + r * Math.sin(angle);
    const sign = n.weight < 0 ? 'neg' : 'pos';
    const nodeR = 5 + 5 * strength;
    group.forEach((e, k) => {
      // parallel edges side by side: offsets perpendicular to the spoke
      const off = (k - (group.length - 1) / 2) * 5;
      const ox = -Math.sin(angle) * off;
      const oy = Math.cos(angle) * off;
      // stop short of the circles so arrowheads stay visible
      const x1 = C + 15 * Math.cos(angle) + ox;
      const y1 = C + 15 * Math.sin(angle) + oy;
      const x2 = x - (nodeR + 1) * Math.cos(angle) + ox;
      const y2 = y - (nodeR + 1) * Math.sin(angle) + oy;
      const w = (0.75 + 5 * Math.abs(e.weight) / max).toFixed(2);
      const attrs = { x1: x1.toFixed(1), y1: y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1), class: 'edge ' + (e.weight < 0 ? 'neg' : 'pos'), 'stroke-width': w };
      if (e.directed) attrs[e.outgoing ? 'marker-end' : 'marker-start'] = 'url(#arrow)';
      edges.append(s('line', attrs, s('title', {}, (e.directed ? (e.outgoing ? centre.id + ' → ' + n.feature.id : n.feature.id + ' → ' + centre.id) : n.feature.id) + '  weight ' + e.weight.toPrecision(3) + (e.attributes && e.attributes !== '{}' ? '  ' + e.attributes : ''))));
    });
    const title = n.feature.id + '  weight ' + n.weight.toPrecision(3) + (group.length > 1 ? '  (' + group.length + ' edges)' : '') + (n.feature.explanation ? '\n' + n.feature.explanation : '');
    nodes.append(s('a', { href: featureHrefFromId(n.feature.id), class: 'node ' + sign },
      s('title', {}, title),
      s('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: nodeR.toFixed(1) }),
      s('text', { x: x.toFixed(1), y: (y - 12 - 5 * strength).toFixed(1), 'text-anchor': 'middle' }, String(n.feature.index))));
  });

  nodes.append(s('g', { class: 'node centre' },
    s('title', {}, centre.id + (centre.explanation ? '\n' + centre.explanation : '')),
    s('circle', { cx: C, cy: C, r: 14 }),
    s('text', { x: C, y: C + 4, 'text-anchor': 'middle' }, String(centre.index))));
  return svg;
}

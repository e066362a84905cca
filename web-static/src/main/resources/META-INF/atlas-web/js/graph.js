// A radial neighbourhood drawing: the feature in the centre, neighbours on a circle (stronger ones closer),
// edge width proportional to |weight|, colour by sign. Plain SVG, no layout library.
import { s } from './dom.js';
import { featureHrefFromId } from './format.js';

const SIZE = 360;
const C = SIZE / 2;

/** neighbours: [{weight, feature: {id, index, explanation}}]; at most `limit` are drawn, strongest first. */
export function neighbourhood(centre, neighbours, { limit = 24, label = 'Neighbourhood' } = {}) {
  const shown = [...neighbours].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, limit);
  const max = Math.max(1e-12, ...shown.map((n) => Math.abs(n.weight)));
  const svg = s('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, class: 'neighbourhood', role: 'img', 'aria-label': label + ': ' + shown.length + ' neighbours' });
  const edges = s('g', { class: 'edges' });
  const nodes = s('g', { class: 'nodes' });
  svg.append(edges, nodes);

  shown.forEach((n, i) => {
    const strength = Math.abs(n.weight) / max;
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / shown.length;
    const r = 80 + 70 * (1 - strength) + (shown.length > 12 && i % 2 ? 14 : 0);
    const x = C + r * Math.cos(angle);
    const y = C + r * Math.sin(angle);
    const sign = n.weight < 0 ? 'neg' : 'pos';
    edges.append(s('line', { x1: C, y1: C, x2: x.toFixed(1), y2: y.toFixed(1), class: 'edge ' + sign, 'stroke-width': (0.75 + 5 * strength).toFixed(2) }));
    const title = n.feature.id + '  weight ' + n.weight.toPrecision(3) + (n.feature.explanation ? '\n' + n.feature.explanation : '');
    nodes.append(s('a', { href: featureHrefFromId(n.feature.id), class: 'node ' + sign },
      s('title', {}, title),
      s('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: (5 + 5 * strength).toFixed(1) }),
      s('text', { x: x.toFixed(1), y: (y - 12 - 5 * strength).toFixed(1), 'text-anchor': 'middle' }, String(n.feature.index))));
  });

  nodes.append(s('g', { class: 'node centre' },
    s('title', {}, centre.id + (centre.explanation ? '\n' + centre.explanation : '')),
    s('circle', { cx: C, cy: C, r: 14 }),
    s('text', { x: C, y: C + 4, 'text-anchor': 'middle' }, String(centre.index))));
  return svg;
}

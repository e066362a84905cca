// Small hand-drawn SVG charts for the catalogue, SAE, run and compare pages: histograms, line/bar series with
// axes. Each chart is an <svg role="img"> with an aria-label that states what it shows, and a <title> per mark.
import { s } from './dom.js';
import { num } from './format.js';

const W = 520, H = 190, L = 56, R = 12, T = 12, B = 34;

function frame(label, cls) {
  return s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart ' + (cls || ''), role: 'img', 'aria-label': label });
}

function axes(svg, xLabel, yLabel, yMax, yMin = 0) {
  svg.append(
    s('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }),
    s('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }),
    s('text', { x: L - 5, y: T + 8, 'text-anchor': 'end', class: 'tick' }, num(yMax, 2)),
    s('text', { x: L - 5, y: H - B, 'text-anchor': 'end', class: 'tick' }, num(yMin, 2)),
    s('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis-label' }, xLabel),
    s('text', { x: 12, y: (T + H - B) / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${(T + H - B) / 2})` }, yLabel));
}

/**
 * A histogram from a Distribution (binEdges, counts, scale): bars over bins, the x axis in the statistic's units
 * (log10 spaced when scale is log).
 */
export function histogram(dist, xLabel) {
  const bins = dist.counts.length;
  const svg = frame(xLabel + ' histogram over ' + num(dist.features - dist.missing) + ' features', 'histogram-chart');
  const max = Math.max(1, ...dist.counts);
  axes(svg, xLabel + (dist.scale === 'log' ? ' (log scale)' : ''), 'features', max);
  const bw = (W - L - R) / bins;
  dist.counts.forEach((c, i) => {
    const h = (H - B - T) * c / max;
    svg.append(s('rect', { x: L + i * bw + 0.5, y: H - B - h, width: Math.max(0.5, bw - 1), height: h, class: 'bar' },
      s('title', {}, `${num(dist.binEdges[i], 3)} – ${num(dist.binEdges[i + 1], 3)}: ${num(c)} features`)));
  });
  svg.append(
    s('text', { x: L, y: H - B + 14, class: 'tick' }, num(dist.binEdges[0], 3)),
    s('text', { x: W - R, y: H - B + 14, 'text-anchor': 'end', class: 'tick' }, num(dist.binEdges[bins], 3)));
  return svg;
}

/**
 * Lines over an integer x axis. series: [{label, cls, points: [[x, y], ...]}]; marks: [{x, label}] drawn as
 * vertical rules (e.g. r*). logY plots log10(1 + y).
 */
export function lines(series, { label, xLabel, yLabel, marks = [], logY = false }) {
  const svg = frame(label, 'line-chart');
  const all = series.flatMap((se) => se.points);
  const xs = all.map((p) => p[0]);
  const xMin = Math.min(...xs), xMax = Math.max(xMin + 1, ...xs);
  const f = logY ? (v) => Math.log10(1 + Math.max(0, v)) : (v) => v;
  const yMax = Math.max(1e-12, ...all.map((p) => f(p[1])));
  const x = (v) => L + (W - L - R) * (v - xMin) / (xMax - xMin);
  const y = (v) => H - B - (H - B - T) * f(v) / yMax;
  axes(svg, xLabel, yLabel + (logY ? ' (log scale)' : ''), logY ? Math.pow(10, yMax) - 1 : yMax);
  svg.append(
    s('text', { x: L, y: H - B + 14, class: 'tick' }, num(xMin)),
    s('text', { x: W - R, y: H - B + 14, 'text-anchor': 'end', class: 'tick' }, num(xMax)));
  for (const m of marks) {
    svg.append(s('line', { x1: x(m.x), y1: T, x2: x(m.x), y2: H - B, class: 'mark-rule' }),
      s('text', { x: x(m.x) + 4, y: H - B - 6, class: 'mark-label' }, m.label));
  }
  series.forEach((se, k) => {
    const d = se.points.map((p, i) => (i ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1)).join(' ');
    svg.append(s('path', { d, class: 'series s' + k + ' ' + (se.cls || '') }));
    for (const p of se.points) {
      svg.append(s('circle', { cx: x(p[0]), cy: y(p[1]), r: 2.2, class: 'dot s' + k, 'data-x': String(p[0]), 'data-y': String(p[1]) },
        s('title', {}, `${se.label}: ${num(p[0])} → ${num(p[1], 4)}`)));
    }
  });
  return svg;
}

/** A legend for lines(): the series labels with their colours, three to a row. */
export function legend(series) {
  const rows = Math.ceil(series.length / 3) || 1;
  return s('svg', { viewBox: `0 0 ${W} ${20 * rows}`, class: 'chart-legend', 'aria-hidden': 'true' },
    series.map((se, k) => {
      const x0 = 8 + (k % 3) * 170, y0 = 10 + 20 * Math.floor(k / 3);
      return [
        s('line', { x1: x0, y1: y0, x2: x0 + 20, y2: y0, class: 'series s' + k }),
        s('text', { x: x0 + 24, y: y0 + 4, class: 'tick' }, se.label),
      ];
    }));
}

/** Horizontal bars: rows [{label, value, cls}] on one shared scale from 0 (e.g. a JSD against its baselines). */
export function bars(rows, label) {
  const rowH = 22;
  const h = rows.length * rowH + 8;
  const svg = s('svg', { viewBox: `0 0 ${W} ${h}`, class: 'chart bars-chart', role: 'img', 'aria-label': label });
  const known = rows.filter((r) => r.value !== null && r.value !== undefined);
  const max = Math.max(1e-12, ...known.map((r) => r.value));
  const left = 170;
  rows.forEach((r, i) => {
    const yy = 4 + i * rowH;
    svg.append(s('text', { x: left - 6, y: yy + 14, 'text-anchor': 'end', class: 'tick' }, r.label));
    if (r.value === null || r.value === undefined) {
      svg.append(s('text', { x: left, y: yy + 14, class: 'tick muted' }, 'not loaded'));
      return;
    }
    const w = (W - left - 70) * r.value / max;
    svg.append(s('rect', { x: left, y: yy + 3, width: Math.max(0.5, w), height: rowH - 8, class: 'bar ' + (r.cls || ''), 'data-value': String(r.value) },
      s('title', {}, r.label + ': ' + num(r.value, 4))),
      s('text', { x: left + w + 4, y: yy + 14, class: 'tick' }, num(r.value, 4)));
  });
  return svg;
}

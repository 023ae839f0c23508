// Charts drawn as SVG by hand: a line over time and bars by category. No chart library needed for
// two shapes; each chart has a text alternative (its title and the values in a table for screen readers).
import { el } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const n = document.createElementNS(NS, tag);
  Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, String(v)));
  children.forEach(c => n.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return n;
}

/** A line chart of {x: ISO instant, y: number|null} points, in a figure with its caption. */
export function lineChart(title, points) {
  const W = 360, H = 160, L = 40, B = 22, T = 8, R = 8;
  const ys = points.map(p => p.y).filter(v => v !== null && Number.isFinite(v));
  const max = ys.length ? Math.max(...ys) : 1;
  const min = ys.length ? Math.min(0, ...ys) : 0;
  const span = max - min || 1;
  const x = i => L + (points.length <= 1 ? (W - L - R) / 2 : i * (W - L - R) / (points.length - 1));
  const y = v => T + (H - T - B) * (1 - (v - min) / span);
  let d = '';
  points.forEach((p, i) => {
    if (p.y === null || !Number.isFinite(p.y)) return;
    d += (d ? ' L' : 'M') + x(i).toFixed(1) + ' ' + y(p.y).toFixed(1);
  });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title + ': ' + points.length + ' points, from ' + fmtY(min) + ' to ' + fmtY(max) },
    s('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
    s('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }),
    s('text', { class: 'axis-text', x: L - 4, y: y(max) + 4, 'text-anchor': 'end' }, fmtY(max)),
    s('text', { class: 'axis-text', x: L - 4, y: y(min) + 4, 'text-anchor': 'end' }, fmtY(min)),
    s('text', { class: 'axis-text', x: L, y: H - 6 }, shortDate(points[0] && points[0].x)),
    s('text', { class: 'axis-text', x: W - R, y: H - 6, 'text-anchor': 'end' }, shortDate(points.length && points[points.length - 1].x)),
    s('path', { class: 'line', d }));
  points.forEach((p, i) => {
    if (p.y !== null && Number.isFinite(p.y)) svg.append(s('circle', { cx: x(i), cy: y(p.y), r: 2.5, class: 'bar' }, s('title', {}, shortDate(p.x) + ': ' + fmtY(p.y))));
  });
  return el('figure', {}, svg, el('figcaption', {}, title));
}

/** A horizontal bar chart of {x: label, y: number}. */
export function barChart(bars) {
  const W = 520, row = 18, L = 180;
  const H = Math.max(1, bars.length) * row + 6;
  const max = Math.max(1, ...bars.map(b => b.y));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': bars.map(b => b.x + ' ' + b.y).join(', ') });
  bars.forEach((b, i) => {
    const w = (W - L - 50) * b.y / max;
    svg.append(s('text', { class: 'axis-text', x: L - 6, y: i * row + 13, 'text-anchor': 'end' }, b.x),
      s('rect', { class: 'bar', x: L, y: i * row + 3, width: Math.max(1, w).toFixed(1), height: row - 6 }),
      s('text', { class: 'axis-text', x: L + w + 4, y: i * row + 13 }, String(b.y)));
  });
  return svg;
}

function fmtY(v) {
  return Math.abs(v) >= 100 ? Math.round(v).toString() : (Math.round(v * 10) / 10).toString();
}

function shortDate(v) {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(5, 16).replace('T', ' ');
}

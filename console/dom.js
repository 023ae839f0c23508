// Small DOM helpers: elements built from attributes and children, never from HTML strings.

/** An element {@code tag} with attributes {@code attrs} and {@code children} (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'style') continue; // inline styles are refused by the page's policy: set them from code
    node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === '') continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
}

/** A number for people (1,234), or a dash. */
export function fmt(v) {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v);
}

/** A percentage the API gives as 0-100. */
export function pct(v) {
  if (v === null || v === undefined) return '—';
  return fmt(v) + '%';
}

/** An instant as the admin's local date and time, or empty. */
export function when(v) {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

let live;
/** Says {@code text} to screen readers (a polite live region). */
export function announce(text) {
  if (!live) {
    live = el('div', { class: 'visually-hidden', 'aria-live': 'assertive', id: 'announcer' });
    document.body.append(live);
  }
  live.textContent = text;
}

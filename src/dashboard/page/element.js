// Builds DOM nodes. Every string becomes a text node or an attribute value, never markup:
// a task's input, type, error or output containing `<script>` shows as those characters.

/**
 * h('td', { class: 'num', dataset: { state: 'busy' } }, 'text', child)
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...(Node | string | number | null | undefined | false)} children
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

/** An SVG element, attributes set as given (text through `textContent` only). */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table's rows replaced: a header row, then one row per item. */
export function fillTable(table, headers, rows) {
  const head = h('tr', {}, ...headers.map((name) => h('th', {}, name)));
  table.replaceChildren(h('thead', {}, head), h('tbody', {}, ...rows));
}

/**
 * Keeps `parent`'s children one per item, in order, rebuilding a child only when its
 * item's `signature` changed: rows under the pointer stay put while the feed updates
 * the page several times a second. `refresh(node, item)`, if given, updates a reused
 * child in place (figures that change on every update, such as an age).
 */
export function keyedChildren(parent, items, { key, signature, build, refresh }) {
  if (!parent.keyed) parent.keyed = new Map();
  const cache = parent.keyed;
  const seen = new Set();
  items.forEach((item, i) => {
    const k = key(item);
    const sig = signature(item);
    seen.add(k);
    let entry = cache.get(k);
    if (!entry || entry.sig !== sig) {
      const node = build(item);
      if (entry) entry.node.replaceWith(node);
      entry = { sig, node };
      cache.set(k, entry);
    } else refresh?.(entry.node, item);
    if (parent.children[i] !== entry.node)
      parent.insertBefore(entry.node, parent.children[i] ?? null);
  });
  for (const [k, entry] of cache)
    if (!seen.has(k)) {
      entry.node.remove();
      cache.delete(k);
    }
}

/** A table with a fixed header and a body of keyed rows (see keyedChildren). */
export function keyedTable(table, headers, items, rows) {
  if (!table.tBodies[0]) {
    const head = h('tr', {}, ...headers.map((name) => h('th', {}, name)));
    table.replaceChildren(h('thead', {}, head), h('tbody'));
  }
  keyedChildren(table.tBodies[0], items, rows);
}

/** `ms` of the system clock as seconds, e.g. `12.34 s`. */
export const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

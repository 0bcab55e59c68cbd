// Building DOM nodes from values, never from markup: every value from the API is set as text
// (not parsed), so a task's message or arguments cannot inject anything into the page.

/**
 * Creates an element. `props` sets attributes (`class`, `id`, `aria-*`, `data-*`...) and, for
 * names starting with "on", event listeners; `hidden`/`disabled` take booleans. Children are
 * nodes or strings (as text); null and false children are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces every child of `node` with `children`. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A table whose header cells are `columns`; each row is an array of cells (see `row`). */
export function table(caption, columns, rows) {
  return el('table', {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, rows));
}

/**
 * A table row; `cells` are [label, content] pairs, the label repeated on each cell so that a
 * narrow screen can show the rows as cards (see style.css).
 */
export function row(props, cells) {
  return el('tr', props, cells.map(([label, content, cellProps = {}]) =>
    el('td', { 'data-label': label, ...cellProps }, content)));
}

/** A message for an empty list or a failed load, announced to screen readers. */
export function notice(text, kind = 'info') {
  return el('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

// Builds DOM nodes from data without ever parsing it as HTML: text goes through text nodes and
// attributes through setAttribute. The page's CSP (Trusted Types, no policy) makes any
// innerHTML assignment throw, so this is the only way content reaches the page.

/**
 * h('a', {href: '#/x', class: 'link'}, 'text', child) -> element.
 * Attributes: false/null/undefined are left out, true sets an empty attribute; `on*` functions
 * become event listeners.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' && 'value' in element) {
      element.value = value;
    } else if (name === 'checked' || name === 'selected') {
      element[name] = Boolean(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return append(element, ...children);
}

/** Appends children: nodes as they are, anything else as text; arrays are flattened, null skipped. */
export function append(element, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces every child of `element` with `children`. */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, ...children);
}

let ids = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A date as a <time> element, in the reader's locale; '—' when absent. */
export function time(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const date = new Date(iso);
  return h('time', {datetime: iso, title: iso}, Number.isNaN(date.getTime()) ? iso : date.toLocaleString());
}

// Small DOM builder. User data only ever enters the page as text nodes or attribute values,
// never as markup, so nothing a user typed can become HTML.

// Keys set as DOM properties rather than attributes (their live state matters, not the markup).
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'readOnly', 'required', 'selected', 'hidden']);

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  append(el, children);
  // Properties after children: a <select> can only take its value once its options exist.
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'on') {
      for (const [type, handler] of Object.entries(value)) el.addEventListener(type, handler);
    } else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** A link inside the app; `path` is the part after '#', e.g. '/spaces/2'. */
export function routeLink(path, text, props = {}) {
  return h('a', { href: `#${path}`, ...props }, text);
}

/** A link to another site, or plain text when the address is not http(s) (no javascript: links). */
export function externalLink(url, text) {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return document.createTextNode(text ?? url ?? '');
  return h('a', { href: url, rel: 'noopener noreferrer' }, text ?? url);
}

/** Text for screen readers only, e.g. the name a generic "Remove" button acts on. */
export function hiddenText(text) {
  return h('span', { class: 'visually-hidden' }, text);
}

/** Multi-line user text (bio, description) keeps its line breaks via CSS, still as plain text. */
export function paragraphText(text, props = {}) {
  return h('p', { class: 'pre-line', ...props }, text ?? '');
}

export function idPath(base, id) {
  return `${base}/${encodeURIComponent(String(id))}`;
}

/** Like Element.replaceChildren, but skips null/false and flattens arrays, as h() does. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

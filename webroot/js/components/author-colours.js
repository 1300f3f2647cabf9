// "Autorenschaft farbig anzeigen": text is tinted in the colour of the person who wrote it (the
// server stamps every inserted run with `author`), with a legend of names. Off by default; the
// choice is kept in this browser. The colours are rules of a stylesheet built here (CSSOM), since
// they are known only at run time and inline styles are not allowed by the page's CSP.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { announce } from '../announce.js';
import { withAlpha } from '../participant-colour.js';

const STORAGE_KEY = 'werkraum.profile.showAuthors';

let sheet = null;
const rules = new Map(); // author key → CSSStyleRule

function stylesheet() {
  if (sheet) return sheet;
  try {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    sheet = null; // very old browsers: the legend still names everyone, without tints
  }
  return sheet;
}

function colourRule(key, colour) {
  if (!/^[ug]\d+$/.test(key)) return;
  const s = stylesheet();
  if (!s) return;
  let rule = rules.get(key);
  if (!rule) {
    const index = s.insertRule(`.show-authors .profile-editor [data-author="${key}"] {}`, s.cssRules.length);
    rule = s.cssRules[index];
    rules.set(key, rule);
  }
  rule.style.backgroundColor = withAlpha(colour, 0.16);
  rule.style.borderBottom = `2px solid ${colour}`;
}

/** root: the element whose class turns the tints on; nameOf(key), colourOf(key), me: this tab's key. */
export function createAuthorColours({ root, nameOf, colourOf, me }) {
  let on = false;
  try {
    on = localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    // the choice then lasts this visit
  }
  const box = h('input', { type: 'checkbox', id: 'profile-show-authors', checked: on, 'aria-describedby': 'profile-show-authors-hint' });
  const legend = h('ul', { class: 'author-legend', id: 'profile-author-legend', 'aria-label': t('profile.authors.legend') });
  const heading = h('h2', { id: 'profile-authors-heading' }, t('profile.authors.title'));
  const element = h('section', { class: 'profile-side-part', 'aria-labelledby': heading.id },
    heading,
    h('div', { class: 'field field-check' }, box, h('label', { for: box.id }, t('profile.authors.toggle')),
      h('p', { class: 'field-hint', id: 'profile-show-authors-hint' }, t('profile.authors.hint'))),
    legend);
  let authors = [];

  box.addEventListener('change', () => {
    on = box.checked;
    try {
      localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
    } catch {
      // not kept
    }
    apply();
    announce(t(on ? 'profile.authors.on' : 'profile.authors.off'));
  });

  function apply() {
    root.classList.toggle('show-authors', on);
    legend.hidden = !on;
  }

  /** keys: the authors of the text now (in order of appearance). */
  function update(keys = authors) {
    authors = keys;
    for (const key of keys) colourRule(key, colourOf(key));
    replace(legend, ...keys.map((key) => {
      const swatch = h('span', { class: 'author-swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = withAlpha(colourOf(key), 0.16);
      swatch.style.borderBottomColor = colourOf(key);
      return h('li', {}, swatch, key === me ? `${nameOf(key)} (${t('profile.presence.you')})` : nameOf(key));
    }));
    if (!keys.length) legend.append(h('li', { class: 'muted' }, t('profile.authors.none')));
  }

  apply();
  return { element, update };
}

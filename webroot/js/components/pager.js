// "Vorherige Seite · Seite 2 von 5 · Nächste Seite". Tells its page through a bubbling
// 'pager-change' event; the list that owns it loads the page.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function createPager({ idPrefix, label }) {
  const prev = h('button', { type: 'button', class: 'button', id: `${idPrefix}-prev` }, t('pager.previous'));
  const next = h('button', { type: 'button', class: 'button', id: `${idPrefix}-next` }, t('pager.next'));
  const info = h('p', { class: 'pager-info', id: `${idPrefix}-page` });
  const element = h('nav', { class: 'pager', 'aria-label': label, hidden: true }, prev, info, next);
  let state = { page: 0, size: 20, total: 0 };

  const go = (page) => element.dispatchEvent(new CustomEvent('pager-change', { bubbles: true, detail: { page, idPrefix } }));
  prev.addEventListener('click', () => go(state.page - 1));
  next.addEventListener('click', () => go(state.page + 1));

  function update({ page, size, total }) {
    state = { page, size, total };
    const pages = Math.max(1, Math.ceil(total / size));
    info.textContent = t('pager.pageOf', { page: page + 1, pages });
    prev.disabled = page <= 0;
    next.disabled = page >= pages - 1;
    element.hidden = pages <= 1 && page === 0;
  }

  return { element, update, text: () => info.textContent };
}

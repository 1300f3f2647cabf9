// A list section that pages through a list endpoint ({items, page, size, total}): heading, count,
// rows and pager. Its owner says how to fetch a page and how to draw a row; paging, reloading
// after a change and the focus after paging live here once.
import { h, replace } from '../dom.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { createPager } from './pager.js';

/**
 * fetchPage(page) → the endpoint's answer; countText(total) → "12 Konten"; row(item) → <li>;
 * emptyText: shown as the only row when there are none; before: elements between heading and count
 * (e.g. a search form).
 */
export function createPagedList({ idPrefix, title, pagesLabel, fetchPage, countText, row, emptyText, before = null }) {
  const heading = h('h2', { id: `${idPrefix}-heading`, tabindex: '-1' }, title);
  const count = h('p', { class: 'muted', id: `${idPrefix}-count` });
  const list = h('ul', { class: 'rows', id: `${idPrefix}-list` });
  const pager = createPager({ idPrefix, label: pagesLabel });
  const element = h('section', { 'aria-labelledby': heading.id }, heading, before, count, list, pager.element);
  let page = 0;

  element.addEventListener('pager-change', async (event) => {
    page = event.detail.page;
    if (!(await reload())) return;
    heading.focus();
    announce(pager.text());
  });

  async function load() {
    const result = await fetchPage(page);
    // After a removal or a deactivation elsewhere, this page may lie behind the last one.
    const last = Math.max(0, Math.ceil(result.total / result.size) - 1);
    if (page > last) {
      page = last;
      return load();
    }
    count.textContent = countText(result.total);
    replace(list, ...result.items.map(row));
    if (result.items.length === 0 && emptyText) list.append(h('li', {}, emptyText));
    pager.update(result);
    return result;
  }

  /** Like load(), but a failure is announced instead of thrown; answers whether it worked. */
  async function reload() {
    try {
      await load();
      return true;
    } catch (err) {
      if (err?.name !== 'AbortError' && err?.code !== 'unauthenticated') announce(errorMessage(err));
      return false;
    }
  }

  return {
    element,
    heading,
    count,
    load,
    reload,
    /** Back to the first page, e.g. for a new search. */
    firstPage() {
      page = 0;
    },
  };
}

// #/rooms/<id>/log: the moderation log of a room (docs/api.md) for the space's coordinators and admins:
// every moderator action, newest first — who, what, whom, when, why. Read-only: the platform offers
// no way to change or delete an entry.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t, hasKey, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';

const PAGE = 50;

export async function render(view, { params, signal }) {
  const room = await api.room(params.id, { signal });
  const first = await api.moderationLog(room.id, { limit: PAGE }, { signal });
  const heading = h('h1', {}, t('modlog.title', { room: room.name }));
  const body = h('tbody', { id: 'modlog-rows' });
  const more = h('button', { type: 'button', class: 'button', id: 'modlog-more' }, t('modlog.more'));
  const empty = h('p', { class: 'muted', id: 'modlog-empty' }, t('modlog.empty'));
  let oldest = null;

  function add(page) {
    for (const entry of page.items) body.append(row(entry));
    if (page.items.length) oldest = page.items[page.items.length - 1].id;
    more.hidden = !page.hasMore;
    empty.hidden = body.childElementCount > 0;
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const before = body.childElementCount;
      const page = await api.moderationLog(room.id, { before: oldest, limit: PAGE }, { signal });
      add(page);
      announce(t('modlog.loaded', { count: page.items.length }));
      body.children[before]?.querySelector('th')?.focus();
    } catch (err) {
      if (err?.name !== 'AbortError') announce(errorMessage(err));
    } finally {
      more.disabled = false;
    }
  });

  replace(view,
    h('p', { class: 'breadcrumb' }, routeLink(idPath('/rooms', room.id), t('modlog.back', { room: room.name }))),
    heading,
    h('p', { class: 'muted' }, t('modlog.intro')),
    empty,
    h('table', { class: 'table', id: 'modlog' },
      h('caption', { class: 'visually-hidden' }, t('modlog.caption')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('modlog.col.when')),
        h('th', { scope: 'col' }, t('modlog.col.who')),
        h('th', { scope: 'col' }, t('modlog.col.what')),
        h('th', { scope: 'col' }, t('modlog.col.whom')),
        h('th', { scope: 'col' }, t('modlog.col.why')))),
      body),
    more);
  add(first);
}

function row(entry) {
  const action = hasKey(`modlog.action.${entry.action}`) ? t(`modlog.action.${entry.action}`) : entry.action;
  return h('tr', {},
    h('th', { scope: 'row', tabindex: '-1' }, h('time', { datetime: entry.at }, formatDateTime(entry.at))),
    h('td', {}, entry.actor?.name ?? entry.actor?.key ?? ''),
    h('td', {}, action),
    h('td', {}, entry.target ? (entry.target.name ?? entry.target.key) : '–'),
    h('td', {}, entry.reason ?? ''));
}

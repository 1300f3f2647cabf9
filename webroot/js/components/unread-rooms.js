// The dashboard's "new messages": discussion rooms of the user's spaces with unread messages or
// mentions, newest counts first. A space whose rooms cannot be read is left out quietly.
import { h, routeLink, idPath } from '../dom.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';

export async function createUnreadRooms({ spaces, signal }) {
  const lists = await Promise.all(spaces.map((space) => api.spaceRooms(space.id, null, { signal })
    .then(({ items }) => items.map((room) => ({ ...room, space })))
    .catch((err) => {
      if (err?.name === 'AbortError') throw err;
      return [];
    })));
  const rooms = lists.flat().filter((r) => r.unread > 0 || r.mentions > 0)
    .sort((a, b) => (b.mentions - a.mentions) || (b.unread - a.unread));
  return h('section', { 'aria-labelledby': 'unread-rooms-heading' },
    h('h2', { id: 'unread-rooms-heading' }, t('dashboard.unreadRooms')),
    rooms.length
      ? h('ul', { class: 'rows', id: 'unread-rooms' }, rooms.map((room) => h('li', { class: 'row' },
        h('div', { class: 'row-main' },
          routeLink(idPath('/rooms', room.id), room.name, { class: 'row-title' }),
          h('span', { class: 'badge count-unread' }, tn('rooms.unread', room.unread)),
          room.mentions > 0 ? h('span', { class: 'badge count-mentions' }, tn('rooms.mentions', room.mentions)) : null,
          h('p', { class: 'row-meta' }, room.space.name)))))
      : h('p', { id: 'unread-rooms-none' }, t('dashboard.noUnread')));
}

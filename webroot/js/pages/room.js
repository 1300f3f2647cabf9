// #/rooms/<id>: a discussion room of a space, or the room of a session, for members.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { createRoomView } from '../components/room-view.js';

export async function render(view, { params, signal }) {
  const room = await api.room(params.id, { signal });
  let lastReadSeq = null;
  if (room.kind === 'standing') {
    // The read mark is part of the space's room list; without it the mark kept in this browser counts.
    try {
      const { items } = await api.spaceRooms(room.spaceId, { archived: true }, { signal });
      lastReadSeq = items.find((r) => r.id === room.id)?.lastReadSeq ?? null;
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
    }
  }
  // A session's moderators need its guest policy (is there a lobby?) and its id (results).
  let session = null;
  if (room.sessionId) {
    try {
      session = await api.session(room.sessionId, { signal });
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
    }
  }
  const back = room.sessionId
    ? routeLink(idPath('/sessions', room.sessionId), t('room.backToSession'))
    : routeLink(idPath('/spaces', room.spaceId), t('room.backToSpace'));
  const roomView = createRoomView({ roomId: room.id, spaceId: room.spaceId, lastReadSeq, session, signal });
  replace(view,
    h('p', { class: 'breadcrumb' }, back),
    h('h1', {}, room.name),
    room.archived ? h('p', { class: 'notice notice-info', id: 'room-archived' }, t('room.archivedNote')) : null,
    roomView.element);
  // Logged out elsewhere or deactivated: the app's usual way to the login page.
  view.addEventListener('room-access-ended', () => document.dispatchEvent(new CustomEvent('werkraum:unauthenticated')));
  roomView.start().catch(() => {
    // Access ended before the first hello: handled by the event above.
  });
}

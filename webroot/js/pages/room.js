// #/rooms/<id>: a discussion room of a space, or the room of a session, for members.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { createRoomView } from '../components/room-view.js';
import { session as signedIn } from '../session.js';

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
  // The space's coordinators and admins read the room's moderation log.
  const user = signedIn.user;
  const readsLog = user?.admin || (user?.spaces ?? []).some((s) => s.id === room.spaceId && s.role === 'coordinator');
  replace(view,
    h('p', { class: 'breadcrumb' }, back),
    h('h1', {}, room.name),
    readsLog ? h('p', { class: 'room-log-link' }, routeLink(`${idPath('/rooms', room.id)}/log`, t('modlog.link'), { id: 'room-modlog-link' })) : null,
    room.archived ? h('p', { class: 'notice notice-info', id: 'room-archived' }, t('room.archivedNote')) : null,
    roomView.element);
  // Logged out elsewhere or deactivated: the app's usual way to the login page.
  view.addEventListener('room-access-ended', () => document.dispatchEvent(new CustomEvent('werkraum:unauthenticated')));
  roomView.start().catch(() => {
    // Access ended before the first hello: handled by the event above.
  });
}

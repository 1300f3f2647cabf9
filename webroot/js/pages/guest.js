// #/guest/<token>: joining a session as a guest, without an account. Shows what the session is,
// asks for a display name, and then the session's room (or the lobby while approval is pending).
// A returning guest (cookie) is recognised and goes straight on.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { announce } from '../announce.js';
import { realtime } from '../realtime.js';
import { createForm, field } from '../components/form.js';
import { createRoomView } from '../components/room-view.js';
import { sessionFacts, agendaSection } from './session.js';
import { GUEST_NAME_MAX } from '../domain.js';

// The socket says at once when a moderator decides (docs/protocol.md, `admitted`/`denied`); the regular
// look is for a decision made while the socket was away. One small request per guest every few seconds.
const LOBBY_CHECK_MS = 5000;
const DEAD_LINK = ['guest_link_invalid', 'session_ended', 'not_found'];

export async function render(view, { params, signal }) {
  const [info, me] = await Promise.allSettled([
    api.guestInvitation(params.token, { signal }),
    session.user ? Promise.reject(new Error('member')) : api.guestMe({ signal }),
  ]);
  if (signal.aborted) return;
  const invitation = info.status === 'fulfilled' ? info.value : null;
  const guest = me.status === 'fulfilled' ? me.value : null;

  if (session.user) {
    showSignedIn(view, invitation);
    return;
  }
  const sameSession = guest && (!invitation || invitation.session.id === guest.sessionId);
  if (sameSession && !guest.ended) {
    showGuest(view, guest, invitation, signal, false);
    return;
  }
  if (sameSession && guest.ended) {
    showDeadLink(view, { code: 'session_ended' });
    return;
  }
  if (!invitation) {
    const err = info.reason;
    if (!DEAD_LINK.includes(err?.code)) throw err;
    showDeadLink(view, err);
    return;
  }
  showJoinForm(view, params.token, invitation, signal);
}

function showSignedIn(view, invitation) {
  replace(view,
    h('h1', {}, invitation?.session.title ?? t('guest.title')),
    h('p', { class: 'notice notice-info', id: 'guest-member-note' }, t('guest.signedIn', { name: session.user.displayName })),
    invitation ? h('p', {}, routeLink(idPath('/sessions', invitation.session.id), t('guest.toSession'))) : null);
}

function showDeadLink(view, err) {
  const key = err.code === 'session_ended' ? 'guest.ended' : 'guest.invalid';
  replace(view,
    h('h1', {}, t(`${key}.title`)),
    h('p', { class: 'notice notice-warning', id: 'guest-link-problem' }, t(`${key}.text`)));
}

function showJoinForm(view, token, invitation, signal) {
  const s = invitation.session;
  const form = createForm({
    id: 'guest-join-form',
    submitId: 'guest-join-submit',
    submitLabel: t('guest.join'),
    children: [
      field({ id: 'guest-name', name: 'displayName', label: t('guest.name'), required: true, autocomplete: 'name',
        maxlength: GUEST_NAME_MAX, hint: t('guest.nameHint', { max: GUEST_NAME_MAX }) }),
    ],
    onSubmit: async (f) => {
      const joined = await api.guestJoin(token, { displayName: f.elements.displayName.value.trim() });
      announce(t(joined.status === 'lobby' ? 'guest.joinedLobby' : 'guest.joined'));
      showGuest(view, joined, invitation, signal, true);
    },
  });
  replace(view,
    h('h1', {}, s.title),
    h('p', { class: 'lead' }, t('guest.intro')),
    sessionFacts(s, { withModerators: false }),
    s.description ? h('p', { class: 'pre-line', id: 'guest-description' }, s.description) : null,
    agendaSection(s),
    h('section', { 'aria-labelledby': 'guest-join-heading' },
      h('h2', { id: 'guest-join-heading' }, t('guest.joinHeading')),
      invitation.approvalNeeded ? h('p', {}, t('guest.approvalNote')) : null,
      form),
  );
}

/** After joining, or when the cookie says this browser joined before. */
function showGuest(view, guest, invitation, signal, moveFocus) {
  if (guest.status === 'lobby') showLobby(view, guest, invitation, signal, moveFocus);
  else showRoom(view, guest, invitation, signal, moveFocus);
}

function showLobby(view, guest, invitation, signal, moveFocus) {
  const heading = h('h1', { tabindex: '-1' }, guest.sessionTitle);
  replace(view,
    heading,
    h('div', { class: 'notice notice-info', id: 'guest-lobby', role: 'status' },
      h('p', {}, t('guest.lobby', { name: guest.displayName })),
      h('p', { class: 'muted' }, t('guest.lobbyCheck'))),
    invitation ? agendaSection(invitation.session) : null);
  if (moveFocus) heading.focus();
  let done = false;
  const check = async () => {
    if (done) return;
    let current;
    try {
      current = await api.guestMe({ signal });
    } catch (err) {
      if (err?.code === 'unauthenticated') {
        stop();
        showAccessEnded(view);
      }
      return; // the server is away for a moment: ask again next time
    }
    if (done) return;
    if (current.ended || current.status === 'denied') {
      stop();
      showAccessEnded(view, current.status === 'denied' ? 'guest.denied' : 'guest.accessEnded');
    } else if (current.status !== 'lobby') {
      stop();
      announce(t('guest.admitted'));
      showRoom(view, current, invitation, signal, true);
    }
  };
  const onFrame = (event) => {
    const frame = event.detail;
    if (frame?.type === 'moderation' && (frame.kind === 'admitted' || frame.kind === 'denied')) check();
  };
  const timer = setInterval(check, LOBBY_CHECK_MS);
  function stop() {
    done = true;
    clearInterval(timer);
    realtime.removeEventListener('frame', onFrame);
  }
  realtime.addEventListener('frame', onFrame);
  realtime.start();
  signal.addEventListener('abort', stop, { once: true });
}

function showRoom(view, guest, invitation, signal, moveFocus) {
  const heading = h('h1', { tabindex: '-1' }, guest.sessionTitle);
  const roomView = createRoomView({ roomId: guest.roomId, signal });
  const about = invitation ? h('details', { class: 'about-session' },
    h('summary', {}, t('guest.aboutSession')),
    sessionFacts(invitation.session, { withModerators: false }),
    agendaSection(invitation.session)) : null;
  replace(view,
    heading,
    h('p', { class: 'muted', id: 'guest-note' }, t('guest.onlyThisRoom')),
    about,
    roomView.element);
  if (moveFocus) heading.focus();
  view.addEventListener('room-access-ended', () => showAccessEnded(view), { once: true });
  roomView.start().catch(() => {
    // the access ended before the first hello: 'room-access-ended' shows it
  });
}

function showAccessEnded(view, texts = 'guest.accessEnded') {
  realtime.shutdown();
  const heading = h('h1', { tabindex: '-1' }, t(`${texts}.title`));
  replace(view,
    heading,
    h('p', { class: 'notice notice-warning', id: 'guest-access-ended' }, t(`${texts}.text`)));
  heading.focus();
  announce(t(`${texts}.title`));
}


// Who is in the room now (from presence): name, role, and whether they are a guest. For moderators
// each person also has their actions (actionsFor); while moderators hide the list, others are told so;
// without a connection it says that it shows an old state (setStale).
import { h, replace } from '../dom.js';
import { t, tn, formatTime } from '../i18n.js';

export function createParticipantList() {
  const heading = h('h2', { id: 'room-participants-heading' });
  const note = h('p', { class: 'muted', id: 'room-participants-hidden', hidden: true }, t('mod.rule.hidden'));
  const stale = h('p', { class: 'notice notice-warning participants-stale', id: 'room-participants-stale', hidden: true });
  const list = h('ul', { class: 'participants', id: 'room-participants' });
  const element = h('section', { class: 'room-participants', 'aria-labelledby': heading.id }, heading, note, stale, list);
  heading.textContent = tn('room.participants', 0);

  /**
   * members: the presence list, sorted by name by the server; me: this tab's participant;
   * hidden: the list is hidden for participants; actionsFor(member): moderator actions or null;
   * marks(member): short states to show (hand raised, has the floor, muted).
   */
  function update(members, me, { hidden = false, actionsFor = null, marks = null } = {}) {
    heading.textContent = tn('room.participants', members.length);
    note.hidden = !hidden;
    // Drawn anew on every change: a focused button (by its id) keeps the focus.
    const focused = list.contains(document.activeElement) ? document.activeElement.id : null;
    replace(list, ...members.map((m) => h('li', { class: 'participant', dataset: { key: m.key } },
      h('span', { class: 'participant-name' }, m.name),
      m.key === me?.key ? h('span', { class: 'muted' }, ` (${t('room.you')})`) : null,
      h('span', { class: 'participant-role' }, roleText(m)),
      marks ? marks(m).map((text) => h('span', { class: 'participant-mark' }, text)) : null,
      actionsFor ? actionsFor(m) : null)));
    if (!members.length) list.append(h('li', { class: 'muted' }, t('room.nobodyHere')));
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  }

  /** since: when the connection went (the list is as it was then), or null when it is current again. */
  function setStale(since) {
    stale.hidden = since === null;
    element.classList.toggle('stale', since !== null);
    stale.textContent = since === null ? '' : t('room.participants.stale', { time: formatTime(since.toISOString()) });
  }

  return { element, update, setStale };
}

function roleText(member) {
  if (member.guest) return t('role.guest');
  const role = member.role ?? 'member';
  return t(`role.${role}`);
}

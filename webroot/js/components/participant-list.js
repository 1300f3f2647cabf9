// Who is in the room now (from presence): name, role, and whether they are a guest.
import { h, replace } from '../dom.js';
import { t, tn } from '../i18n.js';

export function createParticipantList() {
  const heading = h('h2', { id: 'room-participants-heading' });
  const list = h('ul', { class: 'participants', id: 'room-participants' });
  const element = h('section', { class: 'room-participants', 'aria-labelledby': heading.id }, heading, list);
  heading.textContent = tn('room.participants', 0);

  /** members: the presence list, sorted by name by the server; me: this tab's participant. */
  function update(members, me) {
    heading.textContent = tn('room.participants', members.length);
    replace(list, ...members.map((m) => h('li', { class: 'participant' },
      h('span', { class: 'participant-name' }, m.name),
      m.key === me?.key ? h('span', { class: 'muted' }, ` (${t('room.you')})`) : null,
      h('span', { class: 'participant-role' }, roleText(m)))));
    if (!members.length) list.append(h('li', { class: 'muted' }, t('room.nobodyHere')));
  }

  return { element, update };
}

function roleText(member) {
  if (member.guest) return t('role.guest');
  const role = member.role ?? 'member';
  return t(`role.${role}`);
}

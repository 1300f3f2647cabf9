// The discussion rooms of a space with unread and mention counts; coordinators create rooms
// (open to the space, or restricted to chosen members) and archive or restore them.
import { h, routeLink, idPath, hiddenText, replace } from '../dom.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { createForm, field, checkbox } from './form.js';
import { createMemberPicker } from './member-picker.js';
import { ROOM_NAME_MAX } from '../domain.js';

export function createSpaceRooms({ space, manage, signal }) {
  const heading = h('h2', { id: 'space-rooms-heading', tabindex: '-1' }, t('rooms.title'));
  const list = h('ul', { class: 'rows', id: 'space-rooms' });
  const showArchived = h('input', { type: 'checkbox', id: 'space-rooms-archived' });
  const archivedToggle = h('div', { class: 'field field-check' }, showArchived,
    h('label', { for: showArchived.id }, t('rooms.showArchived')));
  const element = h('section', { 'aria-labelledby': heading.id, class: 'space-rooms' },
    heading, archivedToggle, list, manage ? createPart() : null);

  showArchived.addEventListener('change', async () => {
    await reload();
    announce(list.dataset.count ?? '');
  });

  async function load() {
    const { items } = await api.spaceRooms(space.id, { archived: showArchived.checked }, { signal });
    list.dataset.count = tn('rooms.count', items.length);
    replace(list, ...items.map(row));
    if (!items.length) list.append(h('li', { class: 'muted' }, t('rooms.none')));
  }

  async function reload() {
    try {
      await load();
      return true;
    } catch (err) {
      if (err?.name !== 'AbortError' && err?.code !== 'unauthenticated') announce(errorMessage(err));
      return false;
    }
  }

  function row(room) {
    const badges = [];
    if (room.unread > 0) badges.push(h('span', { class: 'badge count-unread' }, tn('rooms.unread', room.unread)));
    if (room.mentions > 0) badges.push(h('span', { class: 'badge count-mentions' }, tn('rooms.mentions', room.mentions)));
    if (room.restricted) badges.push(h('span', { class: 'badge' }, t('rooms.restricted')));
    if (room.archived) badges.push(h('span', { class: 'badge status-expired' }, t('rooms.archived')));
    const actions = manage ? h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'button small', id: `room-archive-${room.id}`, on: { click: () => toggleArchive(room) } },
        t(room.archived ? 'rooms.unarchive' : 'rooms.archive'), hiddenText(`: ${room.name}`))) : null;
    return h('li', { class: 'row', id: `space-room-${room.id}` },
      h('div', { class: 'row-main' }, routeLink(idPath('/rooms', room.id), room.name, { class: 'row-title' }), badges),
      actions);
  }

  async function toggleArchive(room) {
    if (!room.archived && !window.confirm(t('rooms.confirmArchive', { name: room.name }))) return;
    try {
      if (room.archived) await api.unarchiveRoom(room.id);
      else await api.archiveRoom(room.id);
    } catch (err) {
      if (err?.code !== 'unauthenticated') announce(errorMessage(err));
      return;
    }
    announce(t(room.archived ? 'rooms.unarchived' : 'rooms.archivedDone', { name: room.name }));
    await reload();
    (document.getElementById(`room-archive-${room.id}`) ?? heading).focus();
  }

  function createPart() {
    const picker = createMemberPicker({ idPrefix: 'room-create-members', spaceId: space.id,
      legend: t('rooms.create.members'), hint: t('rooms.create.membersHint') });
    picker.element.hidden = true;
    const restricted = checkbox({ id: 'room-create-restricted', name: 'restricted', label: t('rooms.create.restricted'),
      hint: t('rooms.create.restrictedHint') });
    const form = createForm({
      id: 'room-create-form',
      submitId: 'room-create-submit',
      submitLabel: t('rooms.create.submit'),
      children: [
        field({ id: 'room-create-name', name: 'name', label: t('rooms.create.name'), required: true, maxlength: ROOM_NAME_MAX }),
        restricted,
        picker.element,
      ],
      onSubmit: async (f) => {
        const isRestricted = f.elements.restricted.checked;
        const room = await api.createRoom(space.id, {
          name: f.elements.name.value.trim(),
          restricted: isRestricted,
          members: isRestricted ? picker.ids() : [],
        });
        f.elements.name.value = '';
        f.elements.restricted.checked = false;
        picker.element.hidden = true;
        picker.reset();
        announce(t('rooms.created', { name: room.name }));
        await reload();
        document.querySelector(`#space-room-${room.id} a`)?.focus();
      },
    });
    form.elements.restricted.addEventListener('change', (event) => {
      picker.element.hidden = !event.target.checked;
      if (event.target.checked) picker.load();
    });
    return h('details', { class: 'manage-part', id: 'room-create' },
      h('summary', {}, t('rooms.create.title')), form);
  }

  return { element, load, reload };
}

// The sessions (Werkstätten) of a space: upcoming and past, with their times; coordinators plan
// new ones (title, description, agenda, start and end, guest policy, moderators).
import { h, routeLink, idPath, replace } from '../dom.js';
import { t, formatTimeRange } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { navigate } from '../router.js';
import { createForm, field } from './form.js';
import { createMemberPicker } from './member-picker.js';
import { localInputToIso, dateToLocalInput, sessionState } from '../datetime.js';
import { LIMITS, GUEST_POLICIES, SESSION_TITLE_MAX, AGENDA_ITEMS_MAX, AGENDA_ITEM_MAX } from '../domain.js';

const MAX_DAYS = 14;

export function createSpaceSessions({ space, manage, signal }) {
  const heading = h('h2', { id: 'space-sessions-heading' }, t('sessions.title'));
  const upcoming = h('ul', { class: 'rows', id: 'space-sessions-upcoming', 'aria-labelledby': 'space-sessions-upcoming-heading' });
  const past = h('ul', { class: 'rows', id: 'space-sessions-past', 'aria-labelledby': 'space-sessions-past-heading' });
  const element = h('section', { 'aria-labelledby': heading.id, class: 'space-sessions' },
    heading,
    h('h3', { id: 'space-sessions-upcoming-heading' }, t('sessions.upcoming')), upcoming,
    h('h3', { id: 'space-sessions-past-heading' }, t('sessions.past')), past,
    manage ? createPart() : null);

  async function load() {
    const result = await api.spaceSessions(space.id, { signal });
    fill(upcoming, result.upcoming ?? [], t('sessions.noneUpcoming'));
    fill(past, result.past ?? [], t('sessions.nonePast'));
  }

  function fill(list, sessions, emptyText) {
    replace(list, ...sessions.map(row));
    if (!sessions.length) list.append(h('li', { class: 'muted' }, emptyText));
  }

  function row(s) {
    const state = sessionState(s);
    return h('li', { class: 'row', id: `space-session-${s.id}` },
      h('div', { class: 'row-main' },
        routeLink(idPath('/sessions', s.id), s.title, { class: 'row-title' }),
        state === 'running' ? h('span', { class: 'badge state-running' }, t('session.state.running')) : null,
        h('p', { class: 'row-meta' }, formatTimeRange(s.startsAt, s.endsAt))));
  }

  function createPart() {
    const start = new Date();
    start.setMinutes(0, 0, 0);
    start.setHours(start.getHours() + 1);
    const end = new Date(start.getTime() + 2 * 3600 * 1000);
    const picker = createMemberPicker({ idPrefix: 'session-create-moderators', spaceId: space.id,
      legend: t('sessions.create.moderators'), hint: t('sessions.create.moderatorsHint') });
    const form = createForm({
      id: 'session-create-form',
      submitId: 'session-create-submit',
      submitLabel: t('sessions.create.submit'),
      validate,
      children: [
        field({ id: 'session-create-title', name: 'title', label: t('sessions.create.titleField'), required: true, maxlength: SESSION_TITLE_MAX }),
        field({ id: 'session-create-description', name: 'description', type: 'textarea', label: t('field.description'),
          maxlength: LIMITS.description, rows: 4 }),
        field({ id: 'session-create-agenda', name: 'agenda', type: 'textarea', label: t('sessions.create.agenda'), rows: 5,
          hint: t('sessions.create.agendaHint', { items: AGENDA_ITEMS_MAX, max: AGENDA_ITEM_MAX }) }),
        h('div', { class: 'field-pair' },
          field({ id: 'session-create-starts', name: 'startsAt', type: 'datetime-local', label: t('sessions.create.startsAt'),
            required: true, value: dateToLocalInput(start) }),
          field({ id: 'session-create-ends', name: 'endsAt', type: 'datetime-local', label: t('sessions.create.endsAt'),
            required: true, value: dateToLocalInput(end) })),
        field({ id: 'session-create-policy', name: 'guestPolicy', type: 'select', label: t('session.guestPolicy'), value: 'members',
          options: GUEST_POLICIES.map((p) => ({ value: p, label: t(`session.policy.${p}`) })) }),
        picker.element,
      ],
      onSubmit: async (f) => {
        const body = {
          title: f.elements.title.value.trim(),
          description: f.elements.description.value,
          agenda: agendaItems(f.elements.agenda.value),
          startsAt: localInputToIso(f.elements.startsAt.value),
          endsAt: localInputToIso(f.elements.endsAt.value),
          guestPolicy: f.elements.guestPolicy.value,
        };
        const moderators = picker.ids();
        if (moderators.length) body.moderators = moderators;
        const created = await api.createSession(space.id, body);
        announce(t('sessions.created', { title: created.title }));
        navigate(`#${idPath('/sessions', created.id)}`);
      },
    });
    const details = h('details', { class: 'manage-part', id: 'session-create' },
      h('summary', {}, t('sessions.create.title')), form);
    details.addEventListener('toggle', () => {
      if (details.open) picker.load();
    });
    return details;
  }

  return { element, load };
}

function agendaItems(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean);
}

function validate(form) {
  const problems = [];
  const starts = localInputToIso(form.elements.startsAt.value);
  const ends = localInputToIso(form.elements.endsAt.value);
  if (form.elements.startsAt.value && !starts) problems.push({ field: 'startsAt', message: t('sessions.create.badTime') });
  if (form.elements.endsAt.value && !ends) problems.push({ field: 'endsAt', message: t('sessions.create.badTime') });
  if (starts && ends) {
    const span = Date.parse(ends) - Date.parse(starts);
    if (span <= 0) problems.push({ field: 'endsAt', message: t('sessions.create.endBeforeStart') });
    else if (span > MAX_DAYS * 24 * 3600 * 1000) problems.push({ field: 'endsAt', message: t('sessions.create.tooLong', { days: MAX_DAYS }) });
  }
  const items = agendaItems(form.elements.agenda.value);
  if (items.length > AGENDA_ITEMS_MAX) problems.push({ field: 'agenda', message: t('sessions.create.agendaTooMany', { items: AGENDA_ITEMS_MAX }) });
  else if (items.some((item) => item.length > AGENDA_ITEM_MAX)) problems.push({ field: 'agenda', message: t('sessions.create.agendaItemTooLong', { max: AGENDA_ITEM_MAX }) });
  return problems;
}

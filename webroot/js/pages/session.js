// #/sessions/<id>: a session (Werkstatt) — time, state, description, agenda, moderators, the way
// into its room; for its moderators and the space's coordinators also the guest link. After the
// session: its results (Ergebnisse), the messages moderators marked, and their Markdown export.
import { h, routeLink, idPath, paragraphText, replace } from '../dom.js';
import { t, formatTimeRange, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { session as login } from '../session.js';
import { sessionState } from '../datetime.js';
import { createGuestLink } from '../components/guest-link.js';

export async function render(view, { params, signal }) {
  const user = login.user;
  const s = await api.session(params.id, { signal });
  const state = sessionState(s);
  const manage = user.admin
    || (user.spaces ?? []).some((sp) => sp.id === s.spaceId && sp.role === 'coordinator')
    || (s.moderators ?? []).some((m) => m.id === user.id);
  const roomPath = idPath('/rooms', s.roomId);
  let results = null;
  if (state === 'ended') {
    try {
      results = (await api.sessionResults(s.id, { signal })).results ?? [];
    } catch (err) {
      if (err?.name === 'AbortError') throw err;
    }
  }

  replace(view,
    h('p', { class: 'breadcrumb' }, routeLink(idPath('/spaces', s.spaceId), t('session.backToSpace', { space: s.spaceName }))),
    h('h1', {}, s.title),
    h('p', {}, h('span', { class: `badge state-${state}`, id: 'session-state' }, t(`session.state.${state}`))),
    sessionFacts(s),
    state === 'ended'
      ? h('div', { class: 'notice notice-info', id: 'session-archive' },
        h('p', {}, t('session.endedNote')),
        h('p', {}, routeLink(roomPath, t('session.readArchive'), { class: 'button', id: 'session-join' })))
      : h('p', {}, routeLink(roomPath, t('session.join'), { class: 'button primary', id: 'session-join' }),
        state === 'upcoming' ? h('span', { class: 'muted join-hint' }, ` ${t('session.joinEarly')}`) : null),
    s.description ? h('section', { 'aria-labelledby': 'session-description-heading' },
      h('h2', { id: 'session-description-heading' }, t('session.description')),
      paragraphText(s.description, { id: 'session-description' })) : null,
    results ? resultsSection(s, results) : null,
    agendaSection(s),
    manage ? h('section', { 'aria-labelledby': 'session-guests-heading', class: 'manage' },
      h('h2', { id: 'session-guests-heading' }, t('session.guests')),
      h('p', {}, t(`session.policy.${s.guestPolicy}.explain`)),
      s.guestPolicy !== 'members' && state !== 'ended' ? createGuestLink({ session: s }).element : null) : null,
  );
}

/** The outcome of an ended session: the marked messages, in room order, and the Markdown download. */
function resultsSection(s, results) {
  return h('section', { 'aria-labelledby': 'session-results-heading', class: 'session-results' },
    h('h2', { id: 'session-results-heading' }, t('results.title')),
    results.length
      ? h('ol', { id: 'session-results' }, results.map((r) => h('li', {},
        paragraphText(r.text, { class: 'pre-line result-text' }),
        h('p', { class: 'muted' }, t('results.by', { name: r.author, time: formatDateTime(r.createdAt) })))))
      : h('p', { class: 'muted', id: 'session-results-none' }, t('results.none')),
    h('p', {}, h('a', { href: `/api/sessions/${encodeURIComponent(s.id)}/results.md`, download: `ergebnisse-${s.id}.md`,
      id: 'session-results-download' }, t('results.download'))));
}

/** Time, space, moderators and guest policy as a definition list (shared with the guest page). */
export function sessionFacts(s, { withModerators = true } = {}) {
  const moderators = (s.moderators ?? []).map((m) => m.displayName).join(', ');
  return h('dl', { class: 'facts', id: 'session-facts' },
    h('dt', {}, t('session.time')), h('dd', { id: 'session-time' }, formatTimeRange(s.startsAt, s.endsAt)),
    h('dt', {}, t('session.space')), h('dd', {}, s.spaceName),
    withModerators ? [h('dt', {}, t('session.moderators')), h('dd', { id: 'session-moderators' }, moderators || t('session.noModerators'))] : null,
    withModerators && s.guestPolicy ? [h('dt', {}, t('session.guestPolicy')), h('dd', {}, t(`session.policy.${s.guestPolicy}`))] : null);
}

export function agendaSection(s) {
  if (!s.agenda?.length) return null;
  return h('section', { 'aria-labelledby': 'session-agenda-heading' },
    h('h2', { id: 'session-agenda-heading' }, t('session.agenda')),
    h('ol', { class: 'agenda', id: 'session-agenda' }, s.agenda.map((item) => h('li', {}, item))));
}

// The moderators' panel beside the room: the speaking queue (give the floor, take it back, clear),
// the lobby of a session (admit, turn away, admit all), the room's controls (lock, slow mode, floor
// only, hidden participant list, end the session), starting a poll, open reports, who is muted or
// banned, and the session's results. Per-person actions sit in the participant list (actionsFor).
import { h, replace, hiddenText } from '../dom.js';
import { t, tn, formatNumber, formatTime } from '../i18n.js';
import { errorMessage } from '../errors.js';
import { api } from '../api.js';
import { createPollForm } from './poll-form.js';
import { muteDialog, removeDialog, endSessionDialog } from './moderation-dialogs.js';
import { excerpt } from './message-item.js';

const REFRESH_DEBOUNCE_MS = 250;
const LOBBY_POLL_MS = 15000; // arrivals come as `lobby_waiting` notices; this look catches any missed while the socket was away

/**
 * request(type, fields) on the room; say(text) announces; session: the session (or null for a
 * standing room); me: this tab's participant; message(seq): a loaded message or undefined;
 * onJump(seq): shows a message in the list; onChange(): what the participant list shows (mutes) changed.
 */
export function createModeratorPanel({ request, say, session, me, message, onJump, onChange = () => {} }) {
  const heading = h('h2', { id: 'mod-panel-heading' }, t('mod.panel.title'));
  const sections = [];
  const section = (id, title) => {
    const hd = h('h3', { id: `${id}-heading` }, title);
    const body = h('div', { class: 'mod-section-body', id });
    const el = h('section', { class: 'mod-section', 'aria-labelledby': hd.id }, hd, body);
    sections.push(el);
    return { el, body, heading: hd };
  };
  const hands = section('mod-hands', t('mod.hands.title'));
  const lobby = session && session.guestPolicy === 'approval' ? section('mod-lobby', t('mod.lobby.title')) : null;
  const controls = section('mod-controls', t('mod.controls.title'));
  const polls = section('mod-poll', t('poll.form.title'));
  const reports = section('mod-reports', t('mod.reports.title'));
  const restricted = section('mod-restricted', t('mod.restricted.title'));
  const results = session ? section('mod-results', t('mod.results.title')) : null;
  const element = h('section', { class: 'mod-panel', id: 'mod-panel', role: 'region', 'aria-labelledby': heading.id },
    heading, sections);

  const pollForm = createPollForm({ request, say });
  polls.body.append(pollForm.element);

  let view = { state: null, lobby: [], mutes: [], bans: [], reports: [] };
  let resultList = [];
  let refreshTimer = null;
  let lobbyTimer = null;
  let disposed = false;
  let seenLobby = null; // guest keys already announced
  let lastRaw = null;
  let openActions = null; // the participant whose actions are shown (kept across redraws)

  // ---- talking to the server

  async function act(type, fields, done) {
    try {
      const result = await request(type, fields);
      if (done) say(done);
      return result;
    } catch (err) {
      say(errorMessage(err));
      return null;
    }
  }

  async function refresh() {
    clearTimeout(refreshTimer);
    refreshTimer = null;
    let next;
    try {
      next = await request('mod_state');
    } catch (err) {
      return; // not (or no longer) a moderator, or offline: the next change asks again
    }
    if (disposed) return;
    const waiting = (next.lobby ?? []).filter((g) => seenLobby && !seenLobby.has(g.key));
    for (const guest of waiting) say(t('mod.lobby.arrived', { name: guest.name }));
    seenLobby = new Set((next.lobby ?? []).map((g) => g.key));
    const raw = JSON.stringify(next);
    if (raw === lastRaw) return; // the regular look at the lobby found nothing new: draw nothing
    lastRaw = raw;
    view = { ...view, ...next };
    render();
    onChange();
  }

  function scheduleRefresh() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(refresh, REFRESH_DEBOUNCE_MS);
  }

  async function loadResults() {
    if (!session) return;
    try {
      const found = await api.sessionResults(session.id);
      resultList = found.results ?? [];
    } catch {
      return;
    }
    renderResults();
  }

  // ---- drawing

  /**
   * Draws every section anew. A focused control keeps the focus by its id; one that is gone (a guest
   * just admitted) hands it to its section's heading, so keyboard users stay where they were.
   */
  function render() {
    const state = view.state;
    if (!state) return;
    const active = element.contains(document.activeElement) ? document.activeElement : null;
    const home = active?.closest('.mod-section');
    renderHands(state);
    renderLobby();
    renderControls(state);
    renderReports();
    renderRestricted();
    if (active && !active.isConnected) {
      const again = active.id ? document.getElementById(active.id) : null;
      const heading = home?.querySelector('h3');
      if (again) again.focus({ preventScroll: true });
      else if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: true });
      }
    }
  }

  function renderHands(state) {
    const queue = state.hands ?? [];
    replace(hands.body,
      h('p', { id: 'mod-floor' }, state.floor ? t('mod.floor.other', { name: state.floor.name }) : t('mod.floor.nobody')),
      state.floor ? h('button', { type: 'button', class: 'button small', id: 'mod-floor-take',
        on: { click: () => act('mod_floor_take', {}, t('mod.floor.taken', { name: state.floor.name })) } }, t('mod.floor.take')) : null,
      queue.length
        ? h('ol', { class: 'mod-list', id: 'mod-hands-list' }, queue.map((hand) => h('li', {},
          h('span', { class: 'mod-name' }, hand.name), ' ',
          h('span', { class: 'muted' }, t('mod.hands.since', { time: formatTime(hand.raisedAt) })), ' ',
          h('button', { type: 'button', class: 'button small', id: `mod-floor-give-${hand.key}`, dataset: { key: hand.key },
            on: { click: () => act('mod_floor_give', { participant: hand.key }, t('mod.floor.given', { name: hand.name })) } },
          t('mod.floor.give'), hiddenText(`: ${hand.name}`)))))
        : h('p', { class: 'muted' }, t('mod.hands.none')),
      queue.length ? h('button', { type: 'button', class: 'button small', id: 'mod-hands-clear',
        on: { click: () => act('mod_hands_clear', {}, t('mod.hands.cleared')) } }, t('mod.hands.clear')) : null);
  }

  function renderLobby() {
    if (!lobby) return;
    const waiting = view.lobby ?? [];
    lobby.heading.textContent = waiting.length ? `${t('mod.lobby.title')} (${formatNumber(waiting.length)})` : t('mod.lobby.title');
    replace(lobby.body,
      waiting.length
        ? h('ul', { class: 'mod-list', id: 'mod-lobby-list' }, waiting.map((guest) => h('li', {},
          h('span', { class: 'mod-name' }, guest.name), ' ',
          h('button', { type: 'button', class: 'button small primary', id: `mod-lobby-admit-${guest.guestId}`, dataset: { guest: guest.guestId },
            on: { click: () => act('mod_lobby_admit', { guest: guest.guestId }, t('mod.lobby.admitted', { name: guest.name })).then(refresh) } },
          t('mod.lobby.admit'), hiddenText(`: ${guest.name}`)), ' ',
          h('button', { type: 'button', class: 'button small danger', id: `mod-lobby-deny-${guest.guestId}`,
            on: { click: () => act('mod_lobby_deny', { guest: guest.guestId }, t('mod.lobby.denied', { name: guest.name })).then(refresh) } },
          t('mod.lobby.deny'), hiddenText(`: ${guest.name}`)))))
        : h('p', { class: 'muted', id: 'mod-lobby-empty' }, t('mod.lobby.none')),
      waiting.length > 1 ? h('button', { type: 'button', class: 'button small', id: 'mod-lobby-admit-all',
        on: { click: () => act('mod_lobby_admit_all', {}, t('mod.lobby.admittedAll')).then(refresh) } }, t('mod.lobby.admitAll')) : null);
  }

  function toggle(id, label, on, send) {
    return h('div', { class: 'field field-check' },
      h('input', { type: 'checkbox', id, checked: on, on: { change: (event) => send(event.target.checked) } }),
      h('label', { for: id }, label));
  }

  function renderControls(state) {
    if (controls.body.contains(document.activeElement) && document.activeElement.id === 'mod-slow-seconds') {
      return; // someone is typing a number: do not draw over it
    }
    const focused = controls.body.contains(document.activeElement) ? document.activeElement.id : null;
    const slow = h('input', { type: 'number', id: 'mod-slow-seconds', min: '0', max: '3600', step: '1', inputmode: 'numeric',
      value: String(state.slowModeSeconds ?? 0), 'aria-describedby': 'mod-slow-hint' });
    const open = state.open !== false;
    replace(controls.body,
      open ? null : h('p', { class: 'muted' }, t('mod.rule.closed')),
      toggle('mod-lock', t('mod.controls.lock'), state.locked,
        (on) => act('mod_lock', { locked: on }, t(on ? 'mod.announce.locked' : 'mod.announce.unlocked'))),
      toggle('mod-floor-only', t('mod.controls.floorOnly'), state.floorOnly,
        (on) => act('mod_floor_only', { on }, t(on ? 'mod.announce.floorOnlyOn' : 'mod.announce.floorOnlyOff'))),
      toggle('mod-hide', t('mod.controls.hide'), state.hideParticipants,
        (on) => act('mod_hide_participants', { hidden: on }, t(on ? 'mod.announce.hiddenOn' : 'mod.announce.hiddenOff'))),
      h('form', { class: 'mod-slow', novalidate: true, on: { submit: (event) => {
        event.preventDefault();
        const seconds = Math.round(Number(slow.value));
        if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
          say(t('mod.controls.slowInvalid'));
          slow.focus();
          return;
        }
        act('mod_slow_mode', { seconds }, seconds ? t('mod.announce.slowOn', { seconds: formatNumber(seconds) }) : t('mod.announce.slowOff'));
      } } },
      h('label', { for: slow.id }, t('mod.controls.slow')),
      h('p', { class: 'field-hint', id: 'mod-slow-hint' }, t('mod.controls.slowHint')),
      h('div', { class: 'mod-inline' }, slow, h('button', { type: 'submit', class: 'button small', id: 'mod-slow-set' }, t('mod.controls.slowSet')))),
      session && open ? h('button', { type: 'button', class: 'button danger', id: 'mod-end-session', 'aria-haspopup': 'dialog',
        on: { click: (event) => endSessionDialog({ request, say, opener: event.currentTarget }) } }, t('mod.end.button')) : null);
    controls.body.querySelectorAll('input, button').forEach((el) => { if (!open) el.disabled = true; });
    if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
  }

  function renderReports() {
    const open = view.reports ?? [];
    reports.heading.textContent = open.length ? `${t('mod.reports.title')} (${formatNumber(open.length)})` : t('mod.reports.title');
    replace(reports.body, open.length
      ? h('ul', { class: 'mod-list', id: 'mod-reports-list' }, open.map((report) => {
        const m = message(report.message);
        const about = m ? `${m.author?.name ?? ''}: ${excerpt(m.deleted ? t('room.deleted') : m.text, 80)}` : t('mod.reports.message', { seq: report.message });
        return h('li', { class: 'mod-report' },
          h('p', {}, h('button', { type: 'button', class: 'link-button', on: { click: () => onJump(report.message) } }, about)),
          h('p', { class: 'muted' }, t('mod.reports.by', { name: report.reporterName, reason: report.reason })),
          h('div', { class: 'button-row' },
            h('button', { type: 'button', class: 'button small', id: `mod-report-dismiss-${report.id}`, on: { click: () => act('mod_report_dismiss', { report: report.id },
              t('mod.reports.dismissed')).then(refresh) } }, t('mod.reports.dismiss'), hiddenText(`: ${report.reporterName}`)),
            h('button', { type: 'button', class: 'button small danger', id: `mod-report-remove-${report.id}`, on: { click: () => act('mod_remove_message',
              { message: report.message, reason: report.reason }, t('mod.removeMessage.done')).then(refresh) } },
            t('mod.reports.remove'), hiddenText(`: ${report.reporterName}`))));
      }))
      : h('p', { class: 'muted' }, t('mod.reports.none')));
  }

  function renderRestricted() {
    const mutes = view.mutes ?? [];
    const bans = view.bans ?? [];
    const nameOf = (key) => view.names?.get(key) ?? key;
    replace(restricted.body,
      h('h4', {}, t('mod.restricted.muted')),
      mutes.length ? h('ul', { class: 'mod-list', id: 'mod-mutes-list' }, mutes.map((mute) => h('li', {},
        h('span', { class: 'mod-name' }, nameOf(mute.key)), ' ',
        h('span', { class: 'muted' }, mute.until ? t('mod.mutedUntil', { time: formatTime(mute.until) }) : t('mod.mutedIndefinitely')), ' ',
        h('button', { type: 'button', class: 'button small', id: `mod-unmute-${mute.key}`, on: { click: () => act('mod_unmute', { participant: mute.key },
          t('mod.unmute.done', { name: nameOf(mute.key) })).then(refresh) } }, t('mod.unmute'), hiddenText(`: ${nameOf(mute.key)}`)))))
        : h('p', { class: 'muted' }, t('mod.restricted.noneMuted')),
      h('h4', {}, t('mod.restricted.banned')),
      bans.length ? h('ul', { class: 'mod-list', id: 'mod-bans-list' }, bans.map((ban) => h('li', {},
        h('span', { class: 'mod-name' }, ban.name), ' ',
        ban.reason ? h('span', { class: 'muted' }, `(${ban.reason})`) : null, ' ',
        h('button', { type: 'button', class: 'button small', id: `mod-unban-${ban.key}`, on: { click: () => act('mod_unban', { participant: ban.key },
          t('mod.unban.done', { name: ban.name })).then(refresh) } }, t('mod.unban'), hiddenText(`: ${ban.name}`)))))
        : h('p', { class: 'muted' }, t('mod.restricted.noneBanned')));
  }

  function renderResults() {
    if (!results) return;
    replace(results.body, resultList.length
      ? h('ol', { class: 'mod-list', id: 'mod-results-list' }, resultList.map((r) => h('li', {},
        h('button', { type: 'button', class: 'link-button', on: { click: () => onJump(r.seq) } }, `${excerpt(r.text, 120)} — ${r.author}`))))
      : h('p', { class: 'muted' }, t('mod.results.none')),
    h('p', {}, h('a', { href: `/api/sessions/${encodeURIComponent(session.id)}/results.md`, download: '', id: 'mod-results-download' },
      t('results.download'))));
  }

  /** The per-person actions in the participant list: a disclosure with the buttons for that person. */
  function actionsFor(member) {
    if (member.key === me?.key || !view.state) return null;
    const moderates = ['moderator', 'coordinator', 'admin'].includes(member.role);
    const muted = (view.mutes ?? []).find((m) => m.key === member.key);
    const id = `participant-actions-${member.key}`;
    const shown = openActions === member.key;
    const group = h('div', { class: 'participant-actions', id, role: 'group', 'aria-label': t('mod.actionsFor', { name: member.name }), hidden: !shown });
    const toggleButton = h('button', { type: 'button', class: 'link-button', id: `${id}-toggle`, 'aria-expanded': String(shown), 'aria-controls': id,
      on: { click: () => {
        const openNow = group.hidden;
        group.hidden = !openNow;
        openActions = openNow ? member.key : null;
        toggleButton.setAttribute('aria-expanded', String(openNow));
        if (openNow) group.querySelector('button')?.focus();
      } } }, t('mod.actions'), hiddenText(`: ${member.name}`));
    group.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      group.hidden = true;
      openActions = null;
      toggleButton.setAttribute('aria-expanded', 'false');
      toggleButton.focus();
    });
    const who = { key: member.key, name: member.name };
    const button = (label, onClick, extra = {}) => h('button', { type: 'button', class: 'button small', ...extra,
      id: `${id}-${extra.dataset?.action ?? 'x'}`, on: { click: onClick } }, label, hiddenText(`: ${member.name}`));
    const open = view.state.open !== false;
    const items = [];
    if (!moderates) {
      if (open) {
        items.push(button(t('mod.mute'), (e) => muteDialog({ participant: who, request, say: (s) => { say(s); refresh(); }, opener: e.currentTarget }),
          { 'aria-haspopup': 'dialog', dataset: { action: 'mute' } }));
      }
      if (muted) {
        items.push(button(t('mod.unmute'), () => act('mod_unmute', { participant: member.key }, t('mod.unmute.done', { name: member.name })).then(refresh),
          { dataset: { action: 'unmute' } }));
      }
      if (open) {
        items.push(button(t('mod.remove'), (e) => removeDialog({ participant: who, ban: false, request, say, opener: e.currentTarget }),
          { 'aria-haspopup': 'dialog', dataset: { action: 'remove' } }));
      }
      items.push(button(t('mod.ban'), (e) => removeDialog({ participant: who, ban: true, request, say: (s) => { say(s); refresh(); }, opener: e.currentTarget }),
        { 'aria-haspopup': 'dialog', class: 'button small danger', dataset: { action: 'ban' } }));
    }
    if (session && open && !member.guest) {
      if (member.role === 'moderator') {
        items.push(button(t('mod.demote'), () => act('mod_demote', { participant: member.key }, t('mod.demote.done', { name: member.name })),
          { dataset: { action: 'demote' } }));
      } else if (!moderates) {
        items.push(button(t('mod.promote'), () => act('mod_promote', { participant: member.key }, t('mod.promote.done', { name: member.name })),
          { dataset: { action: 'promote' } }));
      }
    }
    if (!items.length) return null;
    group.append(...items);
    return h('div', { class: 'participant-mod' },
      muted ? h('span', { class: 'muted participant-muted' }, muted.until ? t('mod.mutedUntil', { time: formatTime(muted.until) }) : t('mod.mutedIndefinitely')) : null,
      toggleButton, group);
  }

  return {
    element,
    refresh,
    scheduleRefresh,
    loadResults,
    actionsFor,
    /** The room's state from an event: drawn at once, without asking. */
    setState(state) {
      view = { ...view, state };
      render();
    },
    /** Names of who is here, for the mute list (mutes carry keys only). */
    setNames(members) {
      view.names = new Map([...(view.names ?? []), ...members.map((m) => [m.key, m.name])]);
      renderRestricted();
    },
    start() {
      refresh();
      loadResults();
      if (lobby) lobbyTimer = setInterval(() => { if (view.state?.open !== false) refresh(); }, LOBBY_POLL_MS);
    },
    dispose() {
      disposed = true;
      clearTimeout(refreshTimer);
      clearInterval(lobbyTimer);
    },
  };
}

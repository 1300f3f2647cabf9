// The moderation side of a room view: the room's moderation state and this participant's standing in
// it (role, mute, removal, ban), what the composer must refuse and why, polls, pinned messages, the
// moderator panel for moderators, and the announcement of every change. The room view feeds it the
// join answer, events and notices, and asks it what to draw.
import { h, replace } from '../dom.js';
import { t, hasKey, formatTime, formatNumber } from '../i18n.js';
import { errorMessage } from '../errors.js';
import { createRoomState } from './room-state.js';
import { createPollList } from './poll-list.js';
import { createModeratorPanel } from './moderator-panel.js';

const MODERATING = ['moderator', 'coordinator', 'admin'];

/**
 * session: the session of the room (null for standing rooms and guests); store: the room's messages;
 * say(text): the room's live region; view: what the room view offers — link(), me(), canWrite(),
 * loaded(), roleNote and root (elements), updateMessage(m), redrawMessages(), becomeReadOnly(text),
 * writingChanged(), presenceChanged(), jumpTo(seq).
 */
export function createRoomModeration({ session, store, say, view }) {
  const request = (type, fields) => view.link().request(type, fields);
  const roomState = createRoomState({ onHand: setHand, onJump: (seq) => view.jumpTo(seq) });
  const polls = createPollList({ request, say, isModerator: () => moderator });
  const ended = h('p', { class: 'notice notice-info', id: 'room-ended', hidden: true }, t('mod.ended'));
  const slowNote = h('p', { class: 'notice notice-info slow-note', id: 'composer-slow', hidden: true });
  const slot = h('div', { class: 'mod-slot' });
  let role = null;
  let moderator = false;
  let modState = null; // the room's moderation state (docs/protocol.md, Moderation)
  let myMute = null; // { until, reason, reactions } or null
  let evicted = null; // the notice that took this participant out of the room
  let banned = false;
  let panel = null;
  let muteTimer = null;
  let slowTimer = null;
  // Roles changed by promote/demote notices: presence frames may still carry the role of the join.
  const roleChanges = new Map();
  const pinnedElsewhere = new Map(); // seq → message: pinned messages older than the loaded history

  const me = () => view.me();

  /** The join answer: role, own mute, the room's state; the polls are read anew. */
  function joined(result) {
    evicted = null;
    banned = false;
    setRole(result.role ?? 'member');
    myMute = result.moderation?.you?.muted ?? null;
    watchMute();
    if (result.moderation?.state) applyState(result.moderation.state, { quiet: true });
    else view.writingChanged();
    request('poll_list').then((r) => polls.setAll(r.polls)).catch(() => {});
  }

  function joinFailed(err) {
    if (err.code !== 'banned') return;
    banned = true;
    view.writingChanged();
  }

  /** Moderation events of the room; true when the frame was one (it is then handled here). */
  function event(frame) {
    if (frame.kind === 'room_state') {
      applyState(frame.state, { action: frame.action, by: frame.by });
      return true;
    }
    if (frame.kind === 'poll') {
      const { before, after } = polls.upsert(frame.poll);
      if (!before) say(t('poll.announce.new', { question: after.question }));
      else if (after.published && !before.published) say(t('poll.announce.published', { question: after.question }));
      else if (after.closed && !before.closed) say(t('poll.announce.closed', { question: after.question }));
      return true;
    }
    return false;
  }

  /** After the store applied a message event: results, removals and pinned messages are told and drawn. */
  function messageEvent(frame, result) {
    if (frame.kind === 'result') {
      panel?.loadResults();
      if (moderator) say(t(frame.result ? 'mod.result.marked' : 'mod.result.unmarked'));
    }
    if (frame.kind === 'message_removed' && result) say(t('mod.removedAnnounce', { name: result.changed[0]?.author?.name ?? '' }));
    if ((result?.changed ?? []).some((m) => modState?.pins?.includes(m.seq))) drawRoomState();
  }

  function setRole(next) {
    role = next;
    moderator = MODERATING.includes(role);
    view.roleNote.textContent = me().guest
      ? t('room.roleGuest', { name: me().name })
      : t('room.roleIs', { role: t(`role.${role}`) });
    view.root.classList.toggle('moderating', moderator);
    if (moderator && !panel) {
      panel = createModeratorPanel({
        request,
        say,
        session,
        me: me(),
        message: (seq) => store.get(seq),
        onJump: (seq) => view.jumpTo(seq),
        onChange: () => view.presenceChanged(),
      });
      replace(slot, panel.element);
      panel.start();
    } else if (!moderator && panel) {
      panel.dispose();
      panel = null;
      replace(slot);
    } else if (panel) {
      panel.refresh();
    }
  }

  /** A new moderation state (join, room_state event): drawn, and what changed is said. */
  function applyState(next, { quiet = false, action = null, by = null } = {}) {
    const prev = modState;
    modState = next;
    if (!quiet && prev) announceChanges(prev, next, action, by);
    if (prev && next.open === false && prev.open !== false) view.becomeReadOnly(t('mod.ended'));
    ended.hidden = next.open !== false || view.link()?.info?.room?.kind !== 'session';
    drawRoomState();
    fetchPinned(next.pins ?? []);
    panel?.setState(next);
    const pinsChanged = prev && String(prev.pins) !== String(next.pins);
    if (pinsChanged && view.loaded()) {
      const changed = new Set([...(prev.pins ?? []), ...(next.pins ?? [])]);
      for (const seq of changed) if (store.get(seq)) view.updateMessage(store.get(seq));
    }
    view.writingChanged();
    view.presenceChanged();
  }

  function drawRoomState() {
    if (!modState) return;
    roomState.update({ state: modState, me: me(), moderator, handRaised: handUp(modState),
      message: (seq) => store.get(seq) ?? pinnedElsewhere.get(Number(seq)) });
  }

  /** Pinned messages not in the loaded pages are read one by one (at most 50 pins), so the list can name them. */
  async function fetchPinned(pins) {
    const missing = pins.filter((seq) => !store.get(seq) && !pinnedElsewhere.has(Number(seq)));
    if (!missing.length || !view.link()) return;
    for (const seq of missing) {
      try {
        const { message } = await request('thread', { message: seq });
        if (message) pinnedElsewhere.set(Number(seq), message);
      } catch {
        // not readable now: the list says "earlier message"
      }
    }
    drawRoomState();
  }

  function handUp(state) {
    return (state?.hands ?? []).some((hand) => hand.key === me()?.key);
  }

  function announceChanges(prev, next, action, by) {
    const key = me().key;
    if (prev.floor?.key !== next.floor?.key) {
      if (next.floor?.key === key) say(t('mod.floor.youAnnounce'));
      else if (next.floor) say(t('mod.floor.otherAnnounce', { name: next.floor.name }));
      else say(t('mod.floor.nobodyAnnounce'));
    }
    if (handUp(prev) && !handUp(next) && action !== null && next.floor?.key !== key) say(t('mod.hand.lowered'));
    if (moderator) {
      const before = new Set((prev.hands ?? []).map((hand) => hand.key));
      for (const hand of next.hands ?? []) if (!before.has(hand.key) && hand.key !== key) say(t('mod.hand.raisedBy', { name: hand.name }));
    }
    if (by === key && moderator) return; // the panel said it already
    if (prev.locked !== next.locked) say(t(next.locked ? 'mod.announce.locked' : 'mod.announce.unlocked'));
    if (prev.slowModeSeconds !== next.slowModeSeconds) {
      say(next.slowModeSeconds ? t('mod.announce.slowOn', { seconds: formatNumber(next.slowModeSeconds) }) : t('mod.announce.slowOff'));
    }
    if (prev.floorOnly !== next.floorOnly) say(t(next.floorOnly ? 'mod.announce.floorOnlyOn' : 'mod.announce.floorOnlyOff'));
    if (prev.hideParticipants !== next.hideParticipants) say(t(next.hideParticipants ? 'mod.announce.hiddenOn' : 'mod.announce.hiddenOff'));
    const pinsBefore = new Set(prev.pins ?? []);
    const pinsAfter = new Set(next.pins ?? []);
    if ([...pinsAfter].some((seq) => !pinsBefore.has(seq))) say(t('mod.announce.pinned'));
    else if ([...pinsBefore].some((seq) => !pinsAfter.has(seq))) say(t('mod.announce.unpinned'));
    if (prev.open !== false && next.open === false) say(t('mod.ended'));
  }

  /** Why this participant cannot write now, or null. */
  function restriction() {
    if (!view.canWrite()) return t('room.readOnly');
    if (banned) return t('room.joinError.banned');
    if (evicted) return evictedText(evicted);
    if (moderator || !modState) return null;
    if (myMute) return muteText(myMute);
    if (modState.locked) return t('mod.composer.locked');
    if (modState.floorOnly && modState.floor?.key !== me()?.key) return t('mod.composer.floorOnly');
    return null;
  }

  function muteText(mute) {
    const base = mute.until ? t('mod.composer.mutedUntil', { time: formatTime(mute.until) }) : t('mod.composer.muted');
    return mute.reason ? `${base} ${t('mod.reasonIs', { reason: mute.reason })}` : base;
  }

  function evictedText(notice) {
    if (notice.type === 'access_ended') {
      const key = `access.ended.${notice.reason}`;
      return hasKey(key) ? t(key) : t('error.access_ended');
    }
    const key = notice.kind === 'banned' ? 'mod.evicted.banned' : 'mod.evicted.removed';
    const base = t(key, { name: notice.by ?? '' });
    return notice.reason ? `${base} ${t('mod.reasonIs', { reason: notice.reason })}` : base;
  }

  /** Lifts the mute on screen when its time is over (the server has lifted it already). */
  function watchMute() {
    clearTimeout(muteTimer);
    if (!myMute?.until) return;
    const wait = Date.parse(myMute.until) - Date.now();
    if (wait <= 0) {
      myMute = null;
      return;
    }
    muteTimer = setTimeout(() => {
      myMute = null;
      view.writingChanged();
      say(t('mod.unmutedAnnounce'));
    }, Math.min(wait + 500, 2 ** 31 - 1));
  }

  /** A moderation notice for this tab (docs/protocol.md, Moderation notices). */
  function notice(n) {
    const aboutMe = n.participant === me().key;
    switch (n.kind) {
      case 'muted':
        panel?.setNames([{ key: n.participant, name: n.name }]);
        if (aboutMe) {
          myMute = { until: n.until, reason: n.reason, reactions: n.reactions };
          watchMute();
          view.writingChanged();
          say(muteText(myMute));
        }
        break;
      case 'unmuted':
        if (aboutMe) {
          myMute = null;
          watchMute();
          view.writingChanged();
          say(t('mod.unmutedAnnounce'));
        }
        break;
      case 'promoted':
      case 'demoted':
        roleChanges.set(n.participant, n.role === 'moderator' ? 'moderator' : 'member');
        view.presenceChanged();
        if (aboutMe) {
          setRole(n.role === 'moderator' ? 'moderator' : (me().guest ? 'guest' : 'member'));
          say(t(n.role === 'moderator' ? 'mod.promotedYou' : 'mod.demotedYou'));
          if (modState) applyState(modState, { quiet: true });
          view.redrawMessages();
          polls.rerender();
        }
        break;
      case 'message_removed': {
        const message = store.noteRemoval(n.message, n.by, n.reason);
        if (message && view.loaded()) view.updateMessage(message);
        if (message?.author?.key === me().key) say(t('mod.removedYours', { name: n.by ?? '' }));
        break;
      }
      case 'report':
        if (moderator) say(t('mod.reports.new', { name: n.report?.reporterName ?? '' }));
        break;
      case 'poll_results':
        polls.setResults(n.poll, n.results);
        return;
      default:
        break;
    }
    panel?.scheduleRefresh();
  }

  /** A moderator took this participant out of the room: told, and offered to join again unless banned. */
  function wasEvicted(n, { problem, rejoin }) {
    evicted = n;
    view.writingChanged();
    const text = evictedText(n);
    const again = n.kind === 'removed'
      ? h('button', { type: 'button', class: 'button small', id: 'room-rejoin', on: { click: rejoin } }, t('mod.rejoin'))
      : null;
    replace(problem, h('p', {}, text), again);
    problem.hidden = false;
    say(text);
  }

  /** A post waits for slow mode: the wait counts down beside the composer. */
  function slowMode({ retryAfter, seconds }) {
    const until = Date.now() + retryAfter * 1000;
    const windowText = formatNumber(seconds ?? modState?.slowModeSeconds ?? 0);
    clearInterval(slowTimer);
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      if (left <= 0) {
        clearInterval(slowTimer);
        slowNote.hidden = true;
        return;
      }
      slowNote.textContent = t('mod.composer.slowWait', { seconds: windowText, left: formatNumber(left) });
    };
    slowNote.hidden = false;
    tick();
    slowTimer = setInterval(tick, 1000);
    say(t('mod.composer.slowWait', { seconds: windowText, left: formatNumber(retryAfter) }));
  }

  async function setHand(raise) {
    try {
      await request(raise ? 'hand_raise' : 'hand_lower');
      say(t(raise ? 'mod.hand.raisedAnnounce' : 'mod.hand.loweredAnnounce'));
    } catch (err) {
      say(errorMessage(err));
    }
  }

  /** What the participant list shows: roles as last changed, the hidden-list note, actions and marks. */
  function participantView(presence) {
    const members = presence.map((m) => (roleChanges.has(m.key) ? { ...m, role: roleChanges.get(m.key) } : m));
    panel?.setNames(members);
    const hands = new Set((modState?.hands ?? []).map((hand) => hand.key));
    return {
      members,
      hidden: Boolean(modState?.hideParticipants) && !moderator,
      actionsFor: panel ? panel.actionsFor : null,
      marks: (m) => [
        modState?.floor?.key === m.key ? t('mod.mark.floor') : null,
        hands.has(m.key) ? t('mod.mark.hand') : null,
      ].filter(Boolean),
    };
  }

  return {
    elements: { pins: roomState.pins, bar: roomState.bar, slowNote, ended, slot, polls: polls.element },
    get moderator() { return moderator; },
    get evicted() { return evicted; },
    pins: () => new Set(modState?.pins ?? []),
    joined,
    joinFailed,
    event,
    messageEvent,
    notice,
    wasEvicted,
    slowMode,
    restriction,
    participantView,
    drawPins: drawRoomState,
    dispose() {
      polls.dispose();
      panel?.dispose();
      clearTimeout(muteTimer);
      clearInterval(slowTimer);
    },
  };
}

// A discussion room: messages (history paged backwards, live events), writing, replies in a
// thread panel, reactions, editing and deleting one's own messages, who is here and who types,
// unread marker, and the state of the connection. Members and guests use the same view.
// Moderation: everyone sees the floor, their hand, the room's rules, pinned messages and polls, and
// the composer says why writing is not possible (muted until, locked, floor only, slow mode);
// moderators also get the moderator panel and the actions on messages and people.
// Reports 'room-access-ended' (bubbling) when the server ends this tab's access.
import { h, replace } from '../dom.js';
import { t, formatTime, formatNumber } from '../i18n.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { listAllSpaceMembers } from '../api.js';
import { realtime } from '../realtime.js';
import { createRoomStore } from '../room-store.js';
import { createMessageList } from './message-list.js';
import { createComposer } from './composer.js';
import { createParticipantList } from './participant-list.js';
import { createTypingIndicator } from './typing-indicator.js';
import { createConnectionStatus } from './connection-status.js';
import { createRoomAnnouncer } from './room-announcer.js';
import { createThreadPanel } from './thread-panel.js';
import { editInPlace, excerpt, toggleEditHistory } from './message-item.js';
import { createReadTracker } from './read-tracker.js';
import { createRoomState } from './room-state.js';
import { createPollList } from './poll-list.js';
import { createModeratorPanel } from './moderator-panel.js';
import { reportDialog, removeMessageDialog } from './moderation-dialogs.js';

const PAGE = 50;
const MODERATING = ['moderator', 'coordinator', 'admin'];

/**
 * roomId; spaceId (members: for "@" suggestions from the space's members; null for guests);
 * lastReadSeq: the server's read mark when known (standing rooms), else the one kept locally;
 * session: the session whose room this is (null for standing rooms and for guests);
 * signal: aborts when the page is left.
 */
export function createRoomView({ roomId, spaceId = null, lastReadSeq = null, session = null, signal }) {
  const store = createRoomStore();
  const announcer = createRoomAnnouncer();
  const status = createConnectionStatus(realtime);
  const roleNote = h('p', { class: 'room-role muted', id: 'room-role' });
  const loading = h('p', { class: 'loading', id: 'room-loading' }, t('room.loading'));
  const problem = h('div', { class: 'notice notice-warning', id: 'room-problem', role: 'alert', hidden: true });
  const participants = createParticipantList();
  const typing = createTypingIndicator();
  let me = null;
  let link = null;
  let canWrite = false;
  let loaded = false;
  let needsHistory = true;
  let hasMore = false;
  let loadingOlder = false;
  let spaceMembers = [];
  const delivered = new Set(); // keys of own posts whose message is already shown (ack still on its way)
  let role = null;
  let moderator = false;
  let modState = null; // the room's moderation state (docs/protocol.md, Moderation)
  let myMute = null; // { until, reason, reactions } or null
  let evicted = null; // the notice that took this participant out of the room
  let banned = false;
  let panel = null;
  let muteTimer = null;
  let slowTimer = null;
  // Roles changed by promote/demote notices: presence frames may still carry the role from the join.
  const roleChanges = new Map();
  const pinnedElsewhere = new Map(); // seq → message: pinned messages older than the loaded history

  const getCtx = (message) => ({ me, canWrite, parent: message.replyTo ? store.get(message.replyTo) : null,
    moderator, roomOpen: canWrite, pins: new Set(modState?.pins ?? []), canReport: Boolean(me) && !evicted,
    results: link?.info?.room?.kind === 'session' }); // results belong to sessions
  const pendingCtx = () => ({ me, showContext: true, idPrefix: 'pending' });
  const list = createMessageList({ getCtx, pendingCtx });
  const reads = createReadTracker({ roomId, initialMark: lastReadSeq, list, link: () => link, me: () => me });
  const composer = createComposer({
    idPrefix: 'composer',
    label: t('room.composer.label'),
    candidates,
    say: announcer.say,
    onTyping: () => link?.request('typing').catch(() => {}),
    onSend: (text, mentions) => {
      link.post({ text, mentions });
      list.scrollToBottom();
    },
  });
  const thread = createThreadPanel({
    link: { // the panel asks through the view, which owns the link
      request: (type, fields) => link.request(type, fields),
      post: (entry) => link.post(entry),
      get outbox() { return link?.outbox ?? []; },
    },
    getCtx,
    pendingCtx,
    candidates,
    say: announcer.say,
    onClose: () => element.classList.remove('thread-open'),
  });
  const roomState = createRoomState({ onHand: setHand, onJump: jumpTo });
  const polls = createPollList({
    request: (type, fields) => link.request(type, fields),
    say: announcer.say,
    isModerator: () => moderator,
  });
  const ended = h('p', { class: 'notice notice-info', id: 'room-ended', hidden: true }, t('mod.ended'));
  const slowNote = h('p', { class: 'notice notice-info slow-note', id: 'composer-slow', hidden: true });
  const sideTop = h('div', { class: 'mod-slot' });
  // Many messages mean many buttons: one Tab from the heading leads straight to writing.
  const skip = h('button', { type: 'button', class: 'skip-inline', id: 'room-skip-to-composer',
    on: { click: () => composer.focus() } }, t('room.skipToComposer'));
  const main = h('div', { class: 'room-main' }, skip, roomState.pins, loading, list.element, typing.element,
    roomState.bar, slowNote, composer.element);
  const side = h('div', { class: 'room-side' }, thread.element, sideTop, polls.element, participants.element);
  const element = h('div', { class: 'room', id: 'room' },
    h('div', { class: 'room-bar' }, status.element, roleNote),
    problem,
    ended,
    h('div', { class: 'room-layout' }, main, side),
    announcer.element);
  list.element.hidden = true;
  composer.setReadOnly(t('room.waitingForJoin'));

  element.addEventListener('message-action', onAction);
  element.addEventListener('click', onPendingAction);
  element.addEventListener('list-load-older', loadOlder);
  element.addEventListener('list-at-bottom', () => reads.schedule());
  const onVisible = () => reads.schedule();
  document.addEventListener('visibilitychange', onVisible);
  const onEnded = (event) => accessEnded(event.detail);
  const onIdentity = () => location.reload();
  realtime.addEventListener('ended', onEnded);
  realtime.addEventListener('identity-changed', onIdentity);
  signal?.addEventListener('abort', dispose, { once: true });

  /** Connects, joins and loads the latest messages; resolves when the room is on screen. */
  async function start() {
    me = await realtime.ready();
    if (signal?.aborted) return;
    link = realtime.room(roomId);
    link.addEventListener('joined', onJoined);
    link.addEventListener('join-error', onJoinError);
    link.addEventListener('event', onEvent);
    link.addEventListener('presence', onPresence);
    link.addEventListener('typing', onTyping);
    link.addEventListener('reset', onReset);
    link.addEventListener('outbox', onOutbox);
    link.addEventListener('posted', onPosted);
    link.addEventListener('moderation', onNotice);
    link.addEventListener('evicted', onEvicted);
    link.addEventListener('slow-mode', onSlowMode);
    onOutbox();
    if (spaceId !== null && !me.guest) {
      listAllSpaceMembers(spaceId, { signal }).then((items) => { spaceMembers = items; }).catch(() => {});
    }
    if (link.joined) await onJoined({ detail: { result: link.info, resumed: false } });
  }

  async function onJoined(event) {
    const { result } = event.detail;
    const open = result.room?.open !== false;
    const writeBefore = canWrite;
    const moderatorBefore = moderator;
    canWrite = open;
    evicted = null;
    banned = false;
    hideProblem();
    setRole(result.role ?? 'member');
    myMute = result.moderation?.you?.muted ?? null;
    watchMute();
    if (result.moderation?.state) applyState(result.moderation.state, { quiet: true });
    else updateWriting();
    onPresence();
    link.request('poll_list').then((r) => polls.setAll(r.polls)).catch(() => {});
    if (needsHistory) {
      await loadLatest();
    } else if (writeBefore !== canWrite || moderatorBefore !== moderator) {
      list.renderAll(store.sorted()); // buttons to write appear or go
      thread.rerender();
    }
  }

  function onJoinError(event) {
    const err = event.detail.error;
    if (err.code === 'banned') {
      banned = true;
      updateWriting();
    }
    showProblem(['forbidden', 'unknown_room', 'banned'].includes(err.code) ? t(`room.joinError.${err.code}`) : errorMessage(err));
    loading.hidden = true;
  }

  async function loadLatest() {
    needsHistory = false;
    store.beginLoad();
    let page;
    try {
      page = await link.request('history', { limit: PAGE });
    } catch (err) {
      store.abortLoad();
      needsHistory = true; // the next join tries again
      if (err.code !== 'disconnected' && err.code !== 'offline') showProblem(errorMessage(err));
      return;
    }
    if (signal?.aborted) return;
    store.endLoad(page.messages);
    hasMore = Boolean(page.hasMore);
    const messages = store.sorted();
    list.renderAll(messages);
    drawRoomState(); // pinned messages among them get their text
    list.setHasMore(hasMore, true);
    loading.hidden = true;
    list.element.hidden = false;
    loaded = true;
    hideProblem();
    const dividerSeq = reads.begin(messages);
    // Start at the first unread message, else at the newest.
    requestAnimationFrame(() => {
      const target = dividerSeq !== null ? list.item(dividerSeq) : null;
      if (target && target.offsetTop > list.scroller.clientHeight / 2) {
        list.scroller.scrollTop = Math.max(0, target.offsetTop - 48);
      } else {
        list.scrollToBottom();
      }
      reads.schedule();
    });
  }

  async function loadOlder() {
    if (loadingOlder || !hasMore) return;
    loadingOlder = true;
    list.olderButton.setAttribute('aria-disabled', 'true');
    const before = store.oldestSeq();
    store.beginLoad();
    try {
      const page = await link.request('history', { before, limit: PAGE });
      const { added, changed } = store.endLoad(page.messages);
      hasMore = Boolean(page.hasMore);
      const older = added.sort((a, b) => a.seq - b.seq);
      list.prepend(older);
      changed.forEach((m) => list.update(m));
      list.setHasMore(hasMore, true);
      announcer.say(older.length ? t('room.olderLoaded', { count: older.length }) : t('room.noOlder'));
      const last = older[older.length - 1];
      if (!hasMore || document.activeElement === list.olderButton) {
        if (last) {
          list.item(last.seq)?.focus({ preventScroll: true });
          list.item(last.seq)?.scrollIntoView({ block: 'nearest' });
        }
      }
    } catch (err) {
      store.abortLoad();
      announcer.say(errorMessage(err));
    } finally {
      loadingOlder = false;
      list.olderButton.removeAttribute('aria-disabled');
    }
  }

  function onEvent(event) {
    const frame = event.detail;
    if (frame.kind === 'room_state') {
      applyState(frame.state, { action: frame.action, by: frame.by });
      return;
    }
    if (frame.kind === 'poll') {
      const { before, after } = polls.upsert(frame.poll);
      if (!before) announcer.say(t('poll.announce.new', { question: after.question }));
      else if (after.published && !before.published) announcer.say(t('poll.announce.published', { question: after.question }));
      else if (after.closed && !before.closed) announcer.say(t('poll.announce.closed', { question: after.question }));
      return;
    }
    const result = store.apply(frame);
    thread.apply(frame);
    if (frame.kind === 'result') {
      panel?.loadResults();
      if (moderator) announcer.say(t(frame.result ? 'mod.result.marked' : 'mod.result.unmarked'));
    }
    if (frame.kind === 'message_removed' && result) announcer.say(t('mod.removedAnnounce', { name: result.changed[0]?.author?.name ?? '' }));
    if (!result || !loaded) return;
    if (result.added) showNew(result.added);
    for (const message of result.changed ?? []) list.update(message);
    if ((result.changed ?? []).some((m) => modState?.pins?.includes(m.seq))) drawRoomState();
  }

  // ---- moderation

  function setRole(next) {
    role = next;
    moderator = MODERATING.includes(role);
    roleNote.textContent = me.guest
      ? t('room.roleGuest', { name: me.name })
      : t('room.roleIs', { role: t(`role.${role}`) });
    element.classList.toggle('moderating', moderator);
    if (moderator && !panel) {
      panel = createModeratorPanel({
        request: (type, fields) => link.request(type, fields),
        say: announcer.say,
        session,
        me,
        message: (seq) => store.get(seq),
        onJump: jumpTo,
        onChange: () => onPresence(),
      });
      replace(sideTop, panel.element);
      panel.start();
    } else if (!moderator && panel) {
      panel.dispose();
      panel = null;
      replace(sideTop);
    } else if (panel) {
      panel.refresh();
    }
  }

  /** A new moderation state (join, room_state event): drawn, and what changed is said. */
  function applyState(next, { quiet = false, action = null, by = null } = {}) {
    const prev = modState;
    modState = next;
    if (!quiet && prev) announceChanges(prev, next, action, by);
    if (prev && next.open === false && prev.open !== false) becomeReadOnly(t('mod.ended'));
    ended.hidden = next.open !== false || link?.info?.room?.kind !== 'session';
    drawRoomState();
    fetchPinned(next.pins ?? []);
    panel?.setState(next);
    const pinsChanged = prev && String(prev.pins) !== String(next.pins);
    if (pinsChanged && loaded) {
      const changed = new Set([...(prev.pins ?? []), ...(next.pins ?? [])]);
      for (const seq of changed) if (store.get(seq)) list.update(store.get(seq));
    }
    updateWriting();
    onPresence();
  }

  function drawRoomState() {
    if (!modState) return;
    roomState.update({ state: modState, me, moderator, handRaised: handUp(modState),
      message: (seq) => store.get(seq) ?? pinnedElsewhere.get(Number(seq)) });
  }

  /** Pinned messages not in the loaded pages are read one by one (at most 50 pins), so the list can name them. */
  async function fetchPinned(pins) {
    const missing = pins.filter((seq) => !store.get(seq) && !pinnedElsewhere.has(Number(seq)));
    if (!missing.length || !link) return;
    for (const seq of missing) {
      try {
        const { message } = await link.request('thread', { message: seq });
        if (message) pinnedElsewhere.set(Number(seq), message);
      } catch {
        // not readable now: the list says "earlier message"
      }
    }
    drawRoomState();
  }

  function handUp(state) {
    return (state?.hands ?? []).some((hand) => hand.key === me?.key);
  }

  function announceChanges(prev, next, action, by) {
    const say = announcer.say;
    if (prev.floor?.key !== next.floor?.key) {
      if (next.floor?.key === me.key) say(t('mod.floor.youAnnounce'));
      else if (next.floor) say(t('mod.floor.otherAnnounce', { name: next.floor.name }));
      else say(t('mod.floor.nobodyAnnounce'));
    }
    if (handUp(prev) && !handUp(next) && action !== null && next.floor?.key !== me.key) say(t('mod.hand.lowered'));
    if (moderator) {
      const before = new Set((prev.hands ?? []).map((hand) => hand.key));
      for (const hand of next.hands ?? []) if (!before.has(hand.key) && hand.key !== me.key) say(t('mod.hand.raisedBy', { name: hand.name }));
    }
    if (by === me.key && moderator) return; // the panel said it already
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
    if (!canWrite) return t('room.readOnly');
    if (banned) return t('room.joinError.banned');
    if (evicted) return evictedText(evicted);
    if (moderator || !modState) return null;
    if (myMute) return muteText(myMute);
    if (modState.locked) return t('mod.composer.locked');
    if (modState.floorOnly && modState.floor?.key !== me?.key) return t('mod.composer.floorOnly');
    return null;
  }

  function updateWriting() {
    const reason = restriction();
    composer.setReadOnly(reason);
    thread.setReadOnly(reason);
  }

  function muteText(mute) {
    const base = mute.until ? t('mod.composer.mutedUntil', { time: formatTime(mute.until) }) : t('mod.composer.muted');
    return mute.reason ? `${base} ${t('mod.reasonIs', { reason: mute.reason })}` : base;
  }

  function evictedText(notice) {
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
      updateWriting();
      announcer.say(t('mod.unmutedAnnounce'));
    }, Math.min(wait + 500, 2 ** 31 - 1));
  }

  function onNotice(event) {
    const n = event.detail;
    const aboutMe = n.participant === me.key;
    switch (n.kind) {
      case 'muted':
        panel?.setNames([{ key: n.participant, name: n.name }]);
        if (aboutMe) {
          myMute = { until: n.until, reason: n.reason, reactions: n.reactions };
          watchMute();
          updateWriting();
          announcer.say(muteText(myMute));
        }
        break;
      case 'unmuted':
        if (aboutMe) {
          myMute = null;
          watchMute();
          updateWriting();
          announcer.say(t('mod.unmutedAnnounce'));
        }
        break;
      case 'promoted':
      case 'demoted':
        roleChanges.set(n.participant, n.role === 'moderator' ? 'moderator' : 'member');
        onPresence();
        if (aboutMe) {
          setRole(n.role === 'moderator' ? 'moderator' : (me.guest ? 'guest' : 'member'));
          announcer.say(t(n.role === 'moderator' ? 'mod.promotedYou' : 'mod.demotedYou'));
          if (modState) applyState(modState, { quiet: true });
          if (loaded) list.renderAll(store.sorted());
          polls.rerender();
        }
        break;
      case 'message_removed': {
        const message = store.noteRemoval(n.message, n.by, n.reason);
        if (message && loaded) list.update(message);
        if (aboutMeAsAuthor(message)) announcer.say(t('mod.removedYours', { name: n.by ?? '' }));
        break;
      }
      case 'report':
        if (moderator) announcer.say(t('mod.reports.new', { name: n.report?.reporterName ?? '' }));
        break;
      case 'poll_results':
        polls.setResults(n.poll, n.results);
        return;
      default:
        break;
    }
    panel?.scheduleRefresh();
  }

  function aboutMeAsAuthor(message) {
    return message?.author?.key === me.key;
  }

  function onEvicted(event) {
    evicted = event.detail;
    updateWriting();
    const text = evictedText(evicted);
    const again = evicted.kind === 'removed'
      ? h('button', { type: 'button', class: 'button small', id: 'room-rejoin', on: { click: () => link.rejoin() } }, t('mod.rejoin'))
      : null;
    replace(problem, h('p', {}, text), again);
    problem.hidden = false;
    announcer.say(text);
  }

  function onSlowMode(event) {
    const { retryAfter, seconds } = event.detail;
    const until = Date.now() + retryAfter * 1000;
    clearInterval(slowTimer);
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      if (left <= 0) {
        clearInterval(slowTimer);
        slowNote.hidden = true;
        return;
      }
      slowNote.textContent = t('mod.composer.slowWait', { seconds: formatNumber(seconds ?? modState?.slowModeSeconds ?? 0), left: formatNumber(left) });
    };
    slowNote.hidden = false;
    tick();
    slowTimer = setInterval(tick, 1000);
    announcer.say(t('mod.composer.slowWait', { seconds: formatNumber(seconds ?? modState?.slowModeSeconds ?? 0), left: formatNumber(retryAfter) }));
  }

  async function setHand(raise) {
    try {
      await link.request(raise ? 'hand_raise' : 'hand_lower');
      announcer.say(t(raise ? 'mod.hand.raisedAnnounce' : 'mod.hand.loweredAnnounce'));
    } catch (err) {
      announcer.say(errorMessage(err));
    }
  }

  function jumpTo(seq) {
    const item = list.item(seq);
    if (!item) {
      announcer.say(t('mod.notLoaded'));
      return;
    }
    item.scrollIntoView({ block: 'center' });
    item.focus({ preventScroll: true });
  }

  function onPosted(event) {
    const { message } = event.detail;
    delivered.delete(event.detail.entry.key);
    if (!message) return;
    // The ack may come before the event: show it now; the event then finds it known.
    const result = store.apply({ kind: 'message', message });
    thread.apply({ kind: 'message', message });
    if (result?.added && loaded) showNew(result.added);
    result?.changed?.forEach((m) => loaded && list.update(m));
  }

  function showNew(message) {
    const own = message.author?.key === me.key;
    const atBottom = list.isAtBottom();
    const seen = atBottom && document.visibilityState === 'visible';
    if (own) {
      // Its post may still be "sending" (the event came before the ack): show it once.
      const entry = link.outbox.find((e) => e.state === 'sending' && e.text === message.text && (e.replyTo ?? null) === (message.replyTo ?? null));
      if (entry) {
        delivered.add(entry.key);
        onOutbox();
      }
    } else {
      typing.stop(message.author?.key);
      reads.arrived(message, seen);
      announcer.message(announcement(message));
    }
    list.add(message, { follow: own || atBottom, counts: !own });
    reads.schedule();
  }

  function announcement(message) {
    const name = message.author?.name ?? '';
    const text = excerpt(message.text, 200);
    if (me.userId != null && (message.mentions ?? []).includes(me.userId)) return t('room.announce.mention', { name, text });
    if (message.replyTo) return t('room.announce.reply', { name, text });
    return t('room.announce.message', { name, text });
  }

  function onPresence() {
    const members = (link?.presence ?? []).map((m) => (roleChanges.has(m.key) ? { ...m, role: roleChanges.get(m.key) } : m));
    panel?.setNames(members);
    const hands = new Set((modState?.hands ?? []).map((hand) => hand.key));
    participants.update(members, me, {
      hidden: Boolean(modState?.hideParticipants) && !moderator,
      actionsFor: panel ? panel.actionsFor : null,
      marks: (m) => [
        modState?.floor?.key === m.key ? t('mod.mark.floor') : null,
        hands.has(m.key) ? t('mod.mark.hand') : null,
      ].filter(Boolean),
    });
  }

  function onTyping(event) {
    typing.show(event.detail.participant);
  }

  function onReset() {
    reads.pause();
    store.clear();
    loaded = false;
    needsHistory = true;
    loading.hidden = false;
    list.element.hidden = true;
  }

  function onOutbox() {
    const outbox = link?.outbox ?? [];
    // The session ended or the room was archived while this page was open.
    if (canWrite && outbox.some((e) => e.state === 'failed' && e.error === 'room_closed')) becomeReadOnly();
    // Refused outright: perhaps the access itself has ended (a guest after the session's end).
    if (outbox.some((e) => e.state === 'failed' && e.error === 'forbidden')) realtime.verifyAccess();
    const shown = outbox.filter((e) => !delivered.has(e.key));
    list.setPending(shown);
    thread.outboxChanged();
  }

  function becomeReadOnly(said = t('room.readOnly')) {
    if (!canWrite) return;
    canWrite = false;
    composer.setReadOnly(t('room.readOnly'));
    thread.setReadOnly(t('room.readOnly'));
    if (loaded) list.renderAll(store.sorted());
    thread.rerender();
    if (said !== t('mod.ended')) announcer.say(said);
  }

  function onPendingAction(event) {
    const button = event.target.closest('button[data-pending-action]');
    if (!button || !link) return;
    const { key, pendingAction } = button.dataset;
    if (pendingAction === 'retry') link.retry(key);
    else link.discard(key);
    composer.focus();
  }

  async function onAction(event) {
    const { action, seq, emoji, opener } = event.detail;
    if (action === 'thread') {
      element.classList.add('thread-open');
      thread.open(seq, opener);
      return;
    }
    if (action === 'react') {
      try {
        await link.request('react', { message: seq, emoji });
      } catch (err) {
        actionFailed(err);
      }
      return;
    }
    if (action === 'edits') {
      try {
        const { edits } = await link.request('edits', { message: seq });
        toggleEditHistory(opener, edits ?? []);
      } catch (err) {
        actionFailed(err);
      }
      return;
    }
    if (action === 'edit') {
      startEdit(opener.closest('li.message'), seq);
      return;
    }
    if (action === 'report' || action === 'remove') {
      const author = store.get(seq)?.author?.name ?? '';
      const open = action === 'report' ? reportDialog : removeMessageDialog;
      open({ seq, author, request: (type, fields) => link.request(type, fields), say: announcer.say, opener });
      return;
    }
    if (['pin', 'unpin', 'result-mark', 'result-unmark'].includes(action)) {
      try {
        if (action === 'pin' || action === 'unpin') await link.request(`mod_${action}`, { message: seq });
        else await link.request('mod_result', { message: seq, result: action === 'result-mark' });
      } catch (err) {
        actionFailed(err);
      }
      return;
    }
    if (action === 'delete') {
      if (!window.confirm(t('room.confirmDelete'))) return;
      try {
        await link.request('delete', { message: seq });
        announce(t('room.deletedAnnounce'));
        const item = document.getElementById(opener.closest('li.message')?.id ?? '');
        item?.focus();
      } catch (err) {
        actionFailed(err);
      }
    }
  }

  function actionFailed(err) {
    announce(errorMessage(err));
    if (err.code === 'room_closed' && canWrite) becomeReadOnly();
    if (err.code === 'forbidden') realtime.verifyAccess();
  }

  function startEdit(item, seq) {
    const message = store.get(seq) ?? { seq, text: item.querySelector('.message-text')?.textContent ?? '' };
    const itemId = item.id;
    const backToButton = () => {
      const current = document.getElementById(itemId);
      (current?.querySelector('button[data-action="edit"]') ?? current)?.focus();
    };
    editInPlace(item, message, {
      onSave: async (text) => {
        try {
          await link.request('edit', { message: seq, text, mentions: mentionIdsIn(text) });
        } catch (err) {
          if (err.code === 'room_closed') setTimeout(() => actionFailed(err), 0);
          return errorMessage(err);
        }
        announce(t('room.editedAnnounce'));
        setTimeout(backToButton, 0);
        return null;
      },
      onCancel: backToButton,
    });
  }

  function mentionIdsIn(text) {
    return [...new Set(candidates().filter((c) => text.includes(`@${c.name}`)).map((c) => c.id))].slice(0, 50);
  }

  /** People to mention: who is here (members only; guests cannot be mentioned) and the space's members. */
  function candidates() {
    const present = (link?.presence ?? []).filter((p) => !p.guest && p.userId != null && p.key !== me?.key)
      .map((p) => ({ id: p.userId, name: p.name }));
    const members = spaceMembers.filter((m) => m.id !== me?.userId).map((m) => ({ id: m.id, name: m.displayName }));
    return [...present, ...members];
  }

  function accessEnded(detail) {
    composer.setReadOnly(t('room.accessEnded'));
    element.dispatchEvent(new CustomEvent('room-access-ended', { bubbles: true, detail }));
  }

  function showProblem(text) {
    replace(problem, h('p', {}, text));
    problem.hidden = false;
  }

  function hideProblem() {
    problem.hidden = true;
  }

  function dispose() {
    reads.dispose();
    document.removeEventListener('visibilitychange', onVisible);
    realtime.removeEventListener('ended', onEnded);
    realtime.removeEventListener('identity-changed', onIdentity);
    status.dispose();
    typing.dispose();
    announcer.dispose();
    polls.dispose();
    panel?.dispose();
    clearTimeout(muteTimer);
    clearInterval(slowTimer);
    if (link) {
      link.removeEventListener('joined', onJoined);
      link.removeEventListener('join-error', onJoinError);
      link.removeEventListener('event', onEvent);
      link.removeEventListener('presence', onPresence);
      link.removeEventListener('typing', onTyping);
      link.removeEventListener('reset', onReset);
      link.removeEventListener('outbox', onOutbox);
      link.removeEventListener('posted', onPosted);
      link.removeEventListener('moderation', onNotice);
      link.removeEventListener('evicted', onEvicted);
      link.removeEventListener('slow-mode', onSlowMode);
      link.release();
    }
  }

  return { element, start, composer };
}

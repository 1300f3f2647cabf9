// A discussion room: messages (history paged backwards, live events), writing, replies in a
// thread panel, reactions, editing and deleting one's own messages, who is here and who types,
// unread marker, and the state of the connection. Members and guests use the same view.
// Moderation: everyone sees the floor, their hand, the room's rules, pinned messages and polls, and
// the composer says why writing is not possible (muted until, locked, floor only, slow mode);
// moderators also get the moderator panel and the actions on messages and people.
// Reports 'room-access-ended' (bubbling) when the server ends this tab's access.
import { h, replace } from '../dom.js';
import { t, tn } from '../i18n.js';
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
import { createRoomModeration } from './room-moderation.js';
import { reportDialog, removeMessageDialog } from './moderation-dialogs.js';

const PAGE = 50;

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
  // Posts this browser had kept (from before a reload or a crash) and sends now.
  const restoredText = h('p', { id: 'room-restored-text' });
  const restored = h('div', { class: 'notice notice-info', id: 'room-restored', hidden: true }, restoredText,
    h('button', { type: 'button', class: 'link-button', id: 'room-restored-dismiss',
      on: { click: () => { restored.hidden = true; composer.focus(); } } }, t('room.restored.dismiss')));
  let staleSince = null;
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

  const getCtx = (message) => ({ me, canWrite, parent: message.replyTo ? store.get(message.replyTo) : null,
    moderator: moderation.moderator, roomOpen: canWrite, pins: moderation.pins(), canReport: Boolean(me) && !moderation.evicted,
    results: link?.info?.room?.kind === 'session' }); // results belong to sessions
  const pendingCtx = () => ({ me, showContext: true, idPrefix: 'pending', connected: Boolean(link?.joined) });
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
  const moderation = createRoomModeration({
    session,
    store,
    say: announcer.say,
    view: {
      link: () => link,
      me: () => me,
      canWrite: () => canWrite,
      loaded: () => loaded,
      get roleNote() { return roleNote; },
      get root() { return element; },
      updateMessage: (message) => list.update(message),
      redrawMessages: () => loaded && list.renderAll(store.sorted()),
      becomeReadOnly: (text) => becomeReadOnly(text),
      writingChanged: () => updateWriting(),
      presenceChanged: () => onPresence(),
      jumpTo: (seq) => jumpTo(seq),
    },
  });
  const { pins, bar, slowNote, ended, slot, polls } = moderation.elements;
  // Many messages mean many buttons: one Tab from the heading leads straight to writing.
  const skip = h('button', { type: 'button', class: 'skip-inline', id: 'room-skip-to-composer',
    on: { click: () => composer.focus() } }, t('room.skipToComposer'));
  const main = h('div', { class: 'room-main' }, skip, pins, loading, list.element, typing.element, bar, slowNote, composer.element);
  const side = h('div', { class: 'room-side' }, thread.element, slot, polls, participants.element);
  const element = h('div', { class: 'room', id: 'room' },
    h('div', { class: 'room-bar' }, status.element, roleNote),
    problem,
    restored,
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
  realtime.addEventListener('state', onConnection);
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
    link.addEventListener('restored', onRestored);
    onOutbox();
    if (link.restored) onRestored();
    if (spaceId !== null && !me.guest) {
      listAllSpaceMembers(spaceId, { signal }).then((items) => { spaceMembers = items; }).catch(() => {});
    }
    if (link.joined) await onJoined({ detail: { result: link.info, resumed: false } });
  }

  async function onJoined(event) {
    const { result } = event.detail;
    const open = result.room?.open !== false;
    const writeBefore = canWrite;
    const moderatorBefore = moderation.moderator;
    canWrite = open;
    hideProblem();
    moderation.joined(result);
    onPresence();
    if (needsHistory) {
      await loadLatest();
    } else if (writeBefore !== canWrite || moderatorBefore !== moderation.moderator) {
      list.renderAll(store.sorted()); // buttons to write appear or go
      thread.rerender();
    }
  }

  function onJoinError(event) {
    const err = event.detail.error;
    moderation.joinFailed(err);
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
    moderation.drawPins(); // pinned messages among them get their text
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
    if (moderation.event(frame)) return;
    const result = store.apply(frame);
    thread.apply(frame);
    moderation.messageEvent(frame, result);
    if (!result || !loaded) return;
    if (result.added) showNew(result.added);
    for (const message of result.changed ?? []) list.update(message);
  }

  // ---- moderation (the rules and their announcements are in room-moderation.js)

  function onNotice(event) {
    moderation.notice(event.detail);
  }

  function onEvicted(event) {
    moderation.wasEvicted(event.detail, { problem, rejoin: () => link.rejoin() });
  }

  function onSlowMode(event) {
    moderation.slowMode(event.detail);
  }

  function updateWriting() {
    const reason = moderation.restriction();
    composer.setReadOnly(reason);
    thread.setReadOnly(reason);
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
    const { members, ...options } = moderation.participantView(link?.presence ?? []);
    participants.update(members, me, options);
  }

  /** Without a connection the list of who is here is an old state: it says so, until it is current again. */
  function onConnection(event) {
    const connected = event.detail.state === 'connected';
    if (!connected && staleSince === null) staleSince = new Date();
    if (connected) staleSince = null;
    participants.setStale(staleSince);
    onOutbox(); // waiting posts show whether they wait for the connection
  }

  function onRestored() {
    const count = link?.restored ?? 0;
    if (!count) return;
    const text = tn('room.restored', count);
    restoredText.textContent = text;
    restored.dataset.state = 'sending';
    restored.hidden = false;
    announcer.say(text);
  }

  /** Once nothing waits any more, the notice of restored posts says they were sent. */
  function restoredSent(outbox) {
    if (restored.hidden || restored.dataset.state !== 'sending' || outbox.some((e) => e.state !== 'failed')) return;
    restored.dataset.state = 'sent';
    restoredText.textContent = tn('room.restored.sent', link?.restored ?? 0);
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
    restoredSent(outbox);
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
    realtime.removeEventListener('state', onConnection);
    status.dispose();
    typing.dispose();
    announcer.dispose();
    moderation.dispose();
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
      link.removeEventListener('restored', onRestored);
      link.release();
    }
  }

  return { element, start, composer };
}

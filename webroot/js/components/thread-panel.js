// The replies to one message, next to the room (on a phone: in place of it), with its own box
// for answering. It keeps its own copy of the thread (a room store), fed with the room's events.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { errorMessage } from '../errors.js';
import { createRoomStore } from '../room-store.js';
import { renderMessage, renderPending, wireMessageActions, swapMessage } from './message-item.js';
import { createComposer } from './composer.js';

/**
 * link: the room link; getCtx(message) → render context; candidates/say: for the composer;
 * onClose(): the room view shows its list again.
 */
export function createThreadPanel({ link, getCtx, pendingCtx, candidates, say, onClose }) {
  const heading = h('h2', { id: 'room-thread-heading', tabindex: '-1' }, t('room.thread.title'));
  const closeButton = h('button', { type: 'button', class: 'button small', id: 'room-thread-close',
    on: { click: () => close() } }, t('room.thread.close'));
  const status = h('p', { class: 'muted', id: 'room-thread-status' });
  const rootList = h('ol', { class: 'messages thread-root', id: 'room-thread-root', 'aria-label': t('room.thread.root') });
  const replies = h('ol', { class: 'messages', id: 'room-thread-replies', 'aria-label': t('room.thread.replies') });
  const pending = h('ol', { class: 'messages pending-list', id: 'room-thread-outbox', 'aria-label': t('room.pending.listLabel') });
  const composer = createComposer({
    idPrefix: 'thread-composer',
    label: t('room.thread.composerLabel'),
    rows: 2,
    candidates,
    say,
    onTyping: () => link.request('typing').catch(() => {}),
    onSend: (text, mentions) => {
      if (rootSeq !== null) link.post({ text, replyTo: rootSeq, mentions });
    },
  });
  const body = h('div', { class: 'thread-body' }, rootList, replies, pending);
  const element = h('section', { class: 'thread-panel', id: 'room-thread', 'aria-labelledby': heading.id, hidden: true },
    h('div', { class: 'thread-head' }, heading, closeButton), status, body, composer.element);
  let store = createRoomStore();
  const items = new Map(); // seq → li
  let rootSeq = null;
  let opener = null;
  let openedAt = 0;

  wireMessageActions(body);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) close();
  });

  async function open(seq, from) {
    rootSeq = Number(seq);
    opener = from ?? null;
    const ticket = ++openedAt;
    store = createRoomStore();
    replace(rootList);
    replace(replies);
    status.textContent = t('common.loading');
    element.hidden = false;
    heading.textContent = t('room.thread.title');
    heading.focus();
    store.beginLoad();
    let result;
    try {
      result = await link.request('thread', { message: rootSeq });
    } catch (err) {
      store.abortLoad();
      if (ticket !== openedAt) return;
      status.textContent = errorMessage(err);
      return;
    }
    if (ticket !== openedAt) return;
    store.endLoad([result.message, ...(result.replies ?? [])]);
    status.textContent = '';
    render();
  }

  function render() {
    const root = store.get(rootSeq);
    if (!root) return;
    items.clear();
    heading.textContent = t('room.thread.titleOf', { name: root.author?.name ?? '' });
    replace(rootList, item(root));
    const list = store.replies(rootSeq);
    replace(replies, ...list.map((m) => item(m)));
    if (!list.length) replies.append(h('li', { class: 'muted thread-none' }, t('room.thread.none')));
    drawPending();
  }

  function item(message) {
    const li = renderMessage(message, { ...getCtx(message), idPrefix: 'thread-message', inThread: true });
    items.set(message.seq, li);
    return li;
  }

  /** Only what changed is redrawn, so that focus and an open edit box stay. */
  function show(result) {
    if (result.added) {
      replies.querySelector('.thread-none')?.remove();
      replies.append(item(result.added));
    }
    for (const message of result.changed ?? []) {
      const old = items.get(message.seq);
      if (old) swapMessage(old, item(message));
    }
  }

  function drawPending() {
    const mine = link.outbox.filter((e) => e.replyTo === rootSeq);
    replace(pending, ...mine.map((entry) => renderPending(entry, { ...pendingCtx(), idPrefix: 'thread-pending' })));
  }

  function close() {
    if (element.hidden) return;
    element.hidden = true;
    rootSeq = null;
    openedAt += 1;
    onClose?.();
    // The button may have been redrawn meanwhile (its reply count changed): find its successor.
    const itemId = opener?.closest('li.message')?.id;
    const target = opener?.isConnected ? opener
      : (itemId ? document.querySelector(`#${itemId} [data-action="thread"]`) : null);
    if (target && target.offsetParent !== null) target.focus();
    opener = null;
  }

  return {
    element,
    open,
    close,
    get isOpen() {
      return !element.hidden;
    },
    get rootSeq() {
      return rootSeq;
    },
    /** Every event of the room; replies to the open thread and changes to its messages show here. */
    apply(frame) {
      if (rootSeq === null) return;
      if (frame.kind === 'message' && frame.message?.replyTo !== rootSeq) return;
      const result = store.apply(frame);
      if (result) show(result);
    },
    outboxChanged() {
      if (rootSeq !== null) drawPending();
    },
    rerender() {
      if (rootSeq !== null) render();
    },
    setReadOnly: (reason) => composer.setReadOnly(reason),
  };
}

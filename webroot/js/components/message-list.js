// The scrolling message list of a room: newest at the bottom, "load older" at the top, the "Neu"
// divider before the first unread message, posts still being sent below the messages, and a
// "new messages" button when something arrives while the reader is scrolled up.
// Reports 'list-load-older' and 'list-at-bottom' (bubbling).
import { h, replace } from '../dom.js';
import { t, tn } from '../i18n.js';
import { renderMessage, renderPending, wireMessageActions, swapMessage } from './message-item.js';

const BOTTOM_SLACK_PX = 48;

/** getCtx(message) → the rendering context of renderMessage (me, canWrite, parent, …). */
export function createMessageList({ getCtx, pendingCtx }) {
  const heading = h('h2', { id: 'room-messages-heading', class: 'visually-hidden' }, t('room.messages'));
  const olderButton = h('button', { type: 'button', class: 'button small', id: 'room-load-older', hidden: true,
    on: { click: () => olderButton.dispatchEvent(new CustomEvent('list-load-older', { bubbles: true })) } },
  t('room.loadOlder'));
  const start = h('p', { class: 'muted room-start', id: 'room-start', hidden: true }, t('room.startOfRoom'));
  const empty = h('p', { class: 'muted', id: 'room-empty', hidden: true }, t('room.empty'));
  const list = h('ol', { class: 'messages', id: 'room-messages', 'aria-labelledby': heading.id });
  const pending = h('ol', { class: 'messages pending-list', id: 'room-outbox', 'aria-label': t('room.pending.listLabel') });
  const jump = h('button', { type: 'button', class: 'button small primary jump', id: 'room-jump', hidden: true,
    on: { click: () => jumpToNew() } });
  const scroller = h('div', { class: 'message-scroller', id: 'room-scroll', tabindex: '0', role: 'region',
    'aria-label': t('room.history') }, olderButton, start, empty, list, pending);
  const element = h('section', { class: 'message-area', 'aria-labelledby': heading.id }, heading, scroller, jump);
  const items = new Map(); // seq → li
  let dividerSeq = null;
  let unseen = 0;
  let firstUnseen = null;

  wireMessageActions(scroller);
  scroller.addEventListener('scroll', () => {
    if (!isAtBottom()) return;
    hideJump();
    element.dispatchEvent(new CustomEvent('list-at-bottom', { bubbles: true }));
  }, { passive: true });

  function isAtBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= BOTTOM_SLACK_PX;
  }

  function scrollToBottom() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function itemFor(message) {
    const li = renderMessage(message, { ...getCtx(message), idPrefix: 'message', showContext: true });
    items.set(message.seq, li);
    return li;
  }

  /** Draws the whole list anew (first load, or after a reset). */
  function renderAll(messages) {
    items.clear();
    replace(list, ...messages.map(itemFor));
    placeDivider();
    empty.hidden = messages.length > 0;
  }

  /** Older messages go on top; what the reader sees stays where it is. */
  function prepend(messages) {
    if (!messages.length) return;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const first = list.querySelector('li.message');
    const nodes = messages.map(itemFor);
    if (first) first.before(...nodes);
    else list.append(...nodes);
    placeDivider();
    empty.hidden = true;
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
  }

  /**
   * A new message. `follow`: the reader was at the bottom, or wrote it: scroll along.
   * Otherwise the jump button counts it.
   */
  function add(message, { follow, counts }) {
    const li = itemFor(message);
    // Usually the last one; a late answer can be older than what is shown.
    const after = [...items.keys()].filter((seq) => seq < message.seq).sort((a, b) => b - a)[0];
    const anchor = after !== undefined ? items.get(after) : null;
    if (anchor && anchor.parentNode === list) anchor.after(li);
    else list.prepend(li);
    empty.hidden = true;
    placeDivider();
    if (follow) {
      scrollToBottom();
    } else if (counts) {
      unseen += 1;
      if (firstUnseen === null) firstUnseen = message.seq;
      jump.textContent = `${tn('room.newMessagesJump', unseen)} ↓`;
      jump.hidden = false;
    }
  }

  function update(message) {
    const old = items.get(message.seq);
    if (!old) return;
    swapMessage(old, itemFor(message));
  }

  function setPending(outbox) {
    const atBottom = isAtBottom();
    replace(pending, ...outbox.map((entry) => renderPending(entry, pendingCtx())));
    if (atBottom) scrollToBottom();
  }

  function setHasMore(more, loadedAny) {
    olderButton.hidden = !more;
    start.hidden = more || !loadedAny;
  }

  /** The "Neu" divider goes before this message (null: none). */
  function setDivider(seq) {
    dividerSeq = seq;
    placeDivider();
  }

  function placeDivider() {
    list.querySelector('.unread-divider')?.remove();
    if (dividerSeq === null) return;
    const target = items.get(dividerSeq);
    if (!target) return;
    target.before(h('li', { class: 'unread-divider', id: 'room-unread-divider' }, h('span', {}, t('room.unreadDivider'))));
  }

  function hideJump() {
    jump.hidden = true;
    unseen = 0;
    firstUnseen = null;
  }

  function jumpToNew() {
    const target = items.get(firstUnseen) ?? list.lastElementChild;
    hideJump();
    scrollToBottom();
    // Focus on the first message the reader has not seen, so reading goes on from there.
    if (target) {
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'nearest' });
    }
    element.dispatchEvent(new CustomEvent('list-at-bottom', { bubbles: true }));
  }

  return {
    element,
    scroller,
    olderButton,
    renderAll,
    prepend,
    add,
    update,
    setPending,
    setHasMore,
    setDivider,
    isAtBottom,
    scrollToBottom,
    item: (seq) => items.get(Number(seq)),
    /** The first message element of those just added on top, for focus after paging. */
    focusMessage(seq) {
      const li = items.get(Number(seq));
      if (li) li.focus();
    },
  };
}

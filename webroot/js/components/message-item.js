// One chat message as a list item: author, time, text (safe Markdown), reactions and the actions
// reply, react, edit and delete. Actions are reported with bubbling events ('message-action',
// detail {action, seq, emoji?, opener}); editing happens in place through editInPlace().
import { h, hiddenText } from '../dom.js';
import { t, tn, formatTime, formatDateTime } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';
import { REACTIONS, MESSAGE_MAX } from '../domain.js';
import { errorMessage } from '../errors.js';

/**
 * ctx: { me: participant, idPrefix, canWrite, parent (message replied to, or null),
 *        showContext (show "reply to …" line), inThread,
 *        moderator (offer pin, result and remove), roomOpen, pins (Set of pinned seqs), canReport,
 *        results (a session's room: moderators may mark results) }
 */
export function renderMessage(message, ctx) {
  const id = `${ctx.idPrefix}-${message.seq}`;
  const metaId = `${id}-meta`;
  const own = message.author?.key === ctx.me?.key;
  const mentionsMe = !own && ctx.me?.userId != null && (message.mentions ?? []).includes(ctx.me.userId);
  const classes = ['message'];
  if (own) classes.push('own');
  if (mentionsMe) classes.push('mentions-me');
  if (message.deleted) classes.push('deleted');
  if (message.replyTo) classes.push('is-reply');
  if (message.result && !message.deleted) classes.push('is-result');
  const pinned = !message.deleted && Boolean(ctx.pins?.has(message.seq));

  const data = message.writtenAt ? { seq: message.seq, writtenAt: message.writtenAt } : { seq: message.seq };
  const item = h('li', { class: classes.join(' '), id, tabindex: '-1', 'aria-labelledby': metaId, dataset: data },
    meta(message, metaId, { own, mentionsMe, pinned }),
    ctx.showContext && message.replyTo ? replyContext(message, ctx) : null,
    message.deleted
      ? h('p', { class: 'message-tombstone' }, tombstone(message))
      : h('div', { class: 'message-text' }, renderMarkdown(message.text)),
    message.deleted ? null : reactions(message, ctx, metaId),
    message.deleted ? null : actions(message, ctx, { id, metaId, own }),
  );
  return item;
}

/** "Nachricht gelöscht", or for a message a moderator removed: by whom and why, where the server told. */
function tombstone(message) {
  if (!message.removed) return t('room.deleted');
  const by = message.removedBy ? t('mod.removedBy', { name: message.removedBy }) : t('mod.removedTombstone');
  return message.removalReason ? `${by} ${t('mod.removedReason', { reason: message.removalReason })}` : by;
}

function meta(message, metaId, { own, mentionsMe, pinned }) {
  const author = message.author ?? {};
  return h('p', { class: 'message-meta', id: metaId },
    h('span', { class: 'message-author' }, author.name ?? t('room.unknownAuthor')),
    own ? h('span', { class: 'message-you' }, ` (${t('room.you')})`) : null,
    author.guest ? h('span', { class: 'badge' }, t('role.guest')) : null,
    ' ',
    postedTime(message),
    message.editedAt && !message.deleted ? [' · ', h('button', { type: 'button', class: 'link-button message-edited',
      'aria-expanded': 'false', title: t('room.showEdits'), dataset: { action: 'edits', seq: message.seq } }, t('room.edited'))] : null,
    mentionsMe ? h('span', { class: 'message-flag' }, t('room.mentionsYou')) : null,
    pinned ? h('span', { class: 'message-flag flag-pinned' }, t('mod.pinnedFlag')) : null,
    message.result && !message.deleted ? h('span', { class: 'message-flag flag-result' }, t('mod.resultFlag')) : null,
  );
}

/**
 * When the message was sent; for one that was written well before (it waited, e.g. offline) both
 * times: "geschrieben 13:46 · gesendet 13:52". Both are shown as soon as they read differently.
 */
function postedTime(message) {
  const sent = h('time', { datetime: message.createdAt, title: formatDateTime(message.createdAt) }, formatTime(message.createdAt));
  const written = message.writtenAt;
  if (!written || formatTime(written) === formatTime(message.createdAt) || !(new Date(written) < new Date(message.createdAt))) return sent;
  sent.textContent = t('room.sentAt', { time: formatTime(message.createdAt) });
  return h('span', { class: 'message-times' },
    h('time', { class: 'message-written', datetime: written, title: formatDateTime(written) },
      t('room.writtenAt', { time: formatTime(written) })),
    ' · ', sent);
}

function replyContext(message, ctx) {
  const parent = ctx.parent;
  const about = parent
    ? t('room.replyTo', { name: parent.author?.name ?? '', text: excerpt(parent.deleted ? t('room.deleted') : parent.text, 60) })
    : t('room.replyToEarlier');
  // The message's own "Antworten" button opens the conversation.
  return h('p', { class: 'message-context' }, about);
}

function reactions(message, ctx, metaId) {
  const entries = Object.entries(message.reactions ?? {}).filter(([, authors]) => authors?.length);
  if (!entries.length) return null;
  const mine = ctx.me?.key;
  const ordered = REACTIONS.filter((e) => entries.some(([emoji]) => emoji === e));
  return h('div', { class: 'message-reactions', role: 'group', 'aria-label': t('room.reactions') },
    ordered.map((emoji) => {
      const authors = message.reactions[emoji];
      const reacted = authors.includes(mine);
      const label = reacted
        ? t('room.reaction.labelMine', { emoji, count: authors.length })
        : t('room.reaction.label', { emoji, count: authors.length });
      return h('button', { type: 'button', class: `reaction${reacted ? ' mine' : ''}`, 'aria-pressed': String(reacted),
        'aria-label': label, 'aria-describedby': metaId, disabled: !ctx.canWrite,
        dataset: { action: 'react', seq: message.seq, emoji } },
      h('span', { 'aria-hidden': 'true' }, emoji), h('span', { class: 'reaction-count', 'aria-hidden': 'true' }, String(authors.length)));
    }));
}

function actions(message, ctx, { id, metaId, own }) {
  const buttons = [];
  const mine = ctx.me?.key;
  if (ctx.canWrite) {
    const pickerId = `${id}-picker`;
    const picker = h('div', { class: 'reaction-picker', id: pickerId, role: 'group', 'aria-label': t('room.react.choose'), hidden: true },
      REACTIONS.map((emoji) => {
        const reacted = (message.reactions?.[emoji] ?? []).includes(mine);
        return h('button', { type: 'button', class: 'reaction-choice', 'aria-pressed': String(reacted),
          'aria-label': t('room.react.with', { emoji }), dataset: { action: 'react', seq: message.seq, emoji } }, emoji);
      }));
    buttons.push(h('span', { class: 'reaction-menu' },
      h('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false', 'aria-controls': pickerId,
        'aria-describedby': metaId, dataset: { action: 'toggle-picker' } }, t('room.react')),
      picker));
  }
  if (!ctx.inThread) {
    const root = message.replyTo ?? message.seq;
    const count = message.replyTo ? 0 : (message.replyCount ?? 0);
    if (ctx.canWrite || count > 0) {
      buttons.push(h('button', { type: 'button', class: 'link-button', 'aria-describedby': metaId,
        dataset: { action: 'thread', seq: root } },
      count > 0 ? tn('room.replies', count) : t('room.reply')));
    }
  }
  if (own && ctx.canWrite) {
    buttons.push(
      h('button', { type: 'button', class: 'link-button', 'aria-describedby': metaId, dataset: { action: 'edit', seq: message.seq } },
        t('room.edit')),
      h('button', { type: 'button', class: 'link-button danger', 'aria-describedby': metaId, dataset: { action: 'delete', seq: message.seq } },
        t('room.delete')));
  }
  if (!own && ctx.canReport && !ctx.moderator) {
    buttons.push(h('button', { type: 'button', class: 'link-button', 'aria-describedby': metaId, 'aria-haspopup': 'dialog',
      dataset: { action: 'report', seq: message.seq } }, t('mod.report')));
  }
  if (ctx.moderator) {
    const pinned = Boolean(ctx.pins?.has(message.seq));
    if (ctx.roomOpen) {
      buttons.push(h('button', { type: 'button', class: 'link-button', 'aria-describedby': metaId,
        dataset: { action: pinned ? 'unpin' : 'pin', seq: message.seq } }, t(pinned ? 'mod.unpin' : 'mod.pin')));
    }
    if (ctx.results) {
      buttons.push(h('button', { type: 'button', class: 'link-button', 'aria-describedby': metaId,
        dataset: { action: message.result ? 'result-unmark' : 'result-mark', seq: message.seq } },
      t(message.result ? 'mod.resultUnmark' : 'mod.resultMark')));
    }
    buttons.push(
      h('button', { type: 'button', class: 'link-button danger', 'aria-describedby': metaId, 'aria-haspopup': 'dialog',
        dataset: { action: 'remove', seq: message.seq } }, t('mod.removeMessage')));
  }
  if (!buttons.length) return null;
  return h('div', { class: 'message-actions' }, buttons);
}

/**
 * Turns clicks on the data-action buttons inside `root` into 'message-action' events;
 * the reaction picker opens and closes here.
 */
export function wireMessageActions(root) {
  root.addEventListener('click', (event) => {
    for (const open of root.querySelectorAll('.reaction-picker:not([hidden])')) {
      const menu = open.closest('.reaction-menu');
      if (!menu.contains(event.target)) closePicker(menu);
    }
    const button = event.target.closest('button[data-action]');
    if (!button || !root.contains(button) || button.disabled) return;
    const { action } = button.dataset;
    if (action === 'toggle-picker') {
      togglePicker(button);
      return;
    }
    if (button.classList.contains('reaction-choice')) {
      // The picker closes; the focus goes back to its button rather than into nothing.
      const menu = button.closest('.reaction-menu');
      closePicker(menu);
      menu.querySelector('[data-action="toggle-picker"]').focus();
    }
    button.dispatchEvent(new CustomEvent('message-action', { bubbles: true, detail: {
      action, seq: Number(button.dataset.seq), emoji: button.dataset.emoji, opener: button } }));
  });
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const menu = event.target.closest?.('.reaction-menu');
    if (!menu || menu.querySelector('.reaction-picker').hidden) return;
    event.stopPropagation();
    closePicker(menu);
    menu.querySelector('[data-action="toggle-picker"]').focus();
  });
}

function togglePicker(button) {
  const menu = button.closest('.reaction-menu');
  const picker = menu.querySelector('.reaction-picker');
  const open = picker.hidden;
  picker.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (open) picker.querySelector('button')?.focus();
}

function closePicker(menu) {
  if (!menu) return;
  menu.querySelector('.reaction-picker').hidden = true;
  menu.querySelector('[data-action="toggle-picker"]').setAttribute('aria-expanded', 'false');
}

/**
 * Replaces the text of a rendered message with an edit box. onSave(text) returns a promise;
 * Enter saves, Shift+Enter makes a new line, Escape cancels.
 */
export function editInPlace(item, message, { onSave, onCancel }) {
  const body = item.querySelector('.message-text');
  if (!body || item.querySelector('.message-edit')) return;
  const boxId = `${item.id}-edit`;
  const box = h('textarea', { id: boxId, class: 'message-edit-input', rows: 3, value: message.text ?? '' });
  const error = h('p', { class: 'field-error', id: `${boxId}-error`, role: 'alert' });
  const save = h('button', { type: 'button', class: 'button small primary' }, t('common.save'));
  const cancel = h('button', { type: 'button', class: 'button small' }, t('room.cancel'));
  const form = h('div', { class: 'message-edit' },
    h('label', { for: boxId }, t('room.editLabel')),
    error, box,
    h('div', { class: 'button-row' }, save, cancel));
  body.hidden = true;
  body.after(form);
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);

  let busy = false;
  const close = () => {
    // The message may have been redrawn meanwhile (a reaction came in): show the current text.
    const current = form.parentNode?.querySelector('.message-text') ?? body;
    form.remove();
    current.hidden = false;
  };
  const submit = async () => {
    if (busy) return;
    const text = box.value;
    if (!text.trim()) {
      error.textContent = t('room.emptyMessage');
      return;
    }
    if (text.length > MESSAGE_MAX) {
      error.textContent = t('error.text_too_long');
      return;
    }
    if (text === message.text) {
      close();
      onCancel();
      return;
    }
    busy = true;
    save.setAttribute('aria-disabled', 'true');
    const failure = await onSave(text);
    busy = false;
    save.removeAttribute('aria-disabled');
    if (failure) {
      error.textContent = failure;
      box.setAttribute('aria-describedby', error.id);
      return;
    }
    close();
  };
  save.addEventListener('click', submit);
  cancel.addEventListener('click', () => {
    close();
    onCancel();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
      onCancel();
    }
  });
}

/** Shows (or hides again) the earlier texts of an edited message under it. */
export function toggleEditHistory(button, edits) {
  const item = button.closest('li.message');
  const boxId = `${item.id}-edits`;
  const open = document.getElementById(boxId);
  if (open) {
    open.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const box = h('div', { class: 'message-history', id: boxId },
    h('p', { class: 'message-history-title' }, t('room.earlierVersions')),
    h('ol', {}, edits.map((edit) => h('li', {},
      h('div', { class: 'message-text' }, renderMarkdown(edit.text)),
      h('p', { class: 'muted' }, t('room.replacedAt', { time: formatDateTime(edit.replacedAt) }))))));
  item.querySelector('.message-meta').after(box);
  button.setAttribute('aria-controls', boxId);
  button.setAttribute('aria-expanded', 'true');
}

/** The first characters of a text, on one line, for quotes and announcements. */
export function excerpt(text, max = 140) {
  const flat = String(text ?? '').replace(/\*\*(\S.*?)\*\*/g, '$1').replace(/\*(\S.*?)\*/g, '$1').replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * A post still waiting for the server's acknowledgement, shown under the messages with the time it
 * was written: while there is no connection as waiting (a clock, "wartet auf Verbindung"), and
 * whether this browser has it stored durably ("in diesem Browser gesichert"); else as being sent.
 * ctx.connected: the room is joined now.
 */
export function renderPending(entry, ctx) {
  const failed = entry.state === 'failed';
  const waiting = !failed && !ctx.connected;
  let status;
  if (failed) status = t('room.pending.failed', { reason: errorMessage({ code: entry.error }) });
  else if (waiting) status = t('room.pending.waiting');
  else status = t('room.pending.sending');
  const kept = entry.kept === true ? 'true' : entry.kept === false ? 'false' : 'pending';
  const keptText = entry.kept === true ? t('room.pending.kept')
    : entry.kept === false ? t('room.pending.unkept') : t('room.pending.keeping');
  const state = failed ? 'failed' : waiting ? 'waiting' : 'sending';
  return h('li', { class: `message own pending ${state}`, id: `${ctx.idPrefix}-${entry.key}`,
    dataset: { key: entry.key, state, kept } },
  h('p', { class: 'message-meta' },
    h('span', { class: 'message-author' }, ctx.me?.name ?? ''), h('span', { class: 'message-you' }, ` (${t('room.you')})`), ' ',
    entry.createdAt ? h('time', { class: 'message-written', datetime: entry.createdAt, title: formatDateTime(entry.createdAt) },
      t('room.writtenAt', { time: formatTime(entry.createdAt) })) : null, ' ',
    waiting ? clockIcon() : null,
    h('span', { class: 'message-status', role: failed ? 'alert' : null }, status),
    failed ? null : h('span', { class: 'message-kept' }, ` · ${keptText}`)),
  entry.replyTo && ctx.showContext ? h('p', { class: 'message-context' }, t('room.replyToEarlier')) : null,
  h('div', { class: 'message-text' }, renderMarkdown(entry.text)),
  failed ? h('div', { class: 'message-actions' },
    h('button', { type: 'button', class: 'link-button', dataset: { pendingAction: 'retry', key: entry.key } },
      t('room.pending.retry'), hiddenText(`: ${excerpt(entry.text, 40)}`)),
    h('button', { type: 'button', class: 'link-button danger', dataset: { pendingAction: 'discard', key: entry.key } },
      t('room.pending.discard'), hiddenText(`: ${excerpt(entry.text, 40)}`))) : null);
}

const SVG = 'http://www.w3.org/2000/svg';

/** A small clock (decorative: the text next to it says the same). */
function clockIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'icon-clock');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const circle = document.createElementNS(SVG, 'circle');
  for (const [k, v] of Object.entries({ cx: '8', cy: '8', r: '6.5', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.5' })) {
    circle.setAttribute(k, v);
  }
  const hands = document.createElementNS(SVG, 'path');
  for (const [k, v] of Object.entries({ d: 'M8 4.5V8l2.5 1.5', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.5',
    'stroke-linecap': 'round' })) {
    hands.setAttribute(k, v);
  }
  svg.append(circle, hands);
  return svg;
}

/** Puts a redrawn message in place of the old one; a focused button there keeps the focus. */
export function swapMessage(old, fresh) {
  const focused = old.contains(document.activeElement) ? document.activeElement : null;
  const key = focused ? describe(focused) : null;
  // An edit box open in the old one stays open: it is moved over, not lost.
  const editing = old.querySelector('.message-edit');
  old.replaceWith(fresh);
  if (editing) {
    const body = fresh.querySelector('.message-text');
    if (body) {
      body.hidden = true;
      body.after(editing);
    }
  }
  if (key && !(editing && editing.contains(focused))) restoreFocus(fresh, key);
  else if (focused && editing?.contains(focused)) focused.focus({ preventScroll: true });
}

/** Enough to find "the same button" in a redrawn message. */
function describe(el) {
  return { action: el.dataset?.action, emoji: el.dataset?.emoji, isItem: el.matches('li.message') };
}

function restoreFocus(li, key) {
  if (key.isItem || !key.action) {
    li.focus({ preventScroll: true });
    return;
  }
  const visible = (el) => el.offsetParent !== null;
  const candidates = [...li.querySelectorAll('button[data-action]')].filter(visible);
  const same = candidates.find((b) => b.dataset.action === key.action && (!key.emoji || b.dataset.emoji === key.emoji));
  // A reaction that went back to zero has no button any more: the reaction menu is next to it.
  const near = candidates.find((b) => b.dataset.action === 'toggle-picker');
  (same ?? near ?? li).focus({ preventScroll: true });
}

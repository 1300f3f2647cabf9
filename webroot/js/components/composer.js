// Writing a message: a labelled text box (Enter sends, Shift+Enter starts a new line), a character
// counter against the limit, and an "@" suggestion list of people to mention.
import { h } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { MESSAGE_MAX, MENTIONS_MAX } from '../domain.js';
import { createMentionPicker } from './mention-picker.js';

const TYPING_EVERY_MS = 3000;
const WARN_AT = MESSAGE_MAX - 200;

/**
 * onSend(text, mentionIds) sends (it may not fail: posts wait for the connection);
 * onTyping() at most every 3 s while typing; candidates() → [{ id, name }] for "@";
 * say(text) announces through the room's live region.
 */
export function createComposer({ idPrefix, label, onSend, onTyping, candidates, say, rows = 3 }) {
  const inputId = `${idPrefix}-input`;
  const hint = h('p', { class: 'field-hint', id: `${inputId}-hint` }, t('room.composer.hint'));
  const counter = h('p', { class: 'composer-counter', id: `${idPrefix}-counter` });
  const error = h('p', { class: 'field-error', id: `${inputId}-error`, role: 'alert', hidden: true });
  const input = h('textarea', { id: inputId, name: 'message', rows, class: 'composer-input',
    'aria-describedby': `${hint.id} ${counter.id}`, autocomplete: 'off' });
  const send = h('button', { type: 'button', class: 'button primary', id: `${idPrefix}-send` }, t('room.composer.send'));
  const readOnly = h('p', { class: 'notice notice-info composer-readonly', id: `${idPrefix}-readonly`, hidden: true });
  const picker = createMentionPicker({ idPrefix, input, say });
  const element = h('div', { class: 'composer', id: idPrefix },
    readOnly,
    h('div', { class: 'field composer-field' },
      h('label', { for: inputId }, label), hint, error,
      h('div', { class: 'composer-box' }, input, picker.element)),
    h('div', { class: 'composer-actions' }, counter, send));
  const chosen = new Map(); // name → id, picked from the list
  let lastTyping = 0;
  let warned = false;

  updateCounter();

  input.addEventListener('keydown', (event) => {
    if (picker.handleKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    updateCounter();
    clearError();
    const now = Date.now();
    if (input.value.trim() && now - lastTyping >= TYPING_EVERY_MS) {
      lastTyping = now;
      onTyping?.();
    }
    picker.update(candidates());
  });
  input.addEventListener('blur', () => setTimeout(() => {
    if (!element.contains(document.activeElement)) picker.close();
  }, 150));
  element.addEventListener('mention-chosen', (event) => {
    chosen.set(event.detail.name, event.detail.id);
    updateCounter();
  });
  send.addEventListener('click', () => {
    submit();
    input.focus();
  });

  function submit() {
    if (input.disabled) return;
    const text = input.value;
    if (!text.trim()) {
      showError(t('room.emptyMessage'));
      return;
    }
    if (text.length > MESSAGE_MAX) {
      showError(t('room.composer.tooLong', { max: formatNumber(MESSAGE_MAX), over: formatNumber(text.length - MESSAGE_MAX) }));
      return;
    }
    const mentions = mentionIds(text);
    input.value = '';
    chosen.clear();
    lastTyping = 0;
    warned = false;
    updateCounter();
    picker.close();
    onSend(text, mentions);
  }

  /** Everyone whose "@Name" is in the text: picked from the list or typed in full. */
  function mentionIds(text) {
    const ids = new Set();
    const people = [...candidates(), ...[...chosen].map(([name, id]) => ({ name, id }))];
    for (const person of people) {
      if (person.id != null && text.includes(`@${person.name}`)) ids.add(person.id);
    }
    return [...ids].slice(0, MENTIONS_MAX);
  }

  function updateCounter() {
    const length = input.value.length;
    const over = length > MESSAGE_MAX;
    counter.textContent = over
      ? t('room.composer.counterOver', { count: formatNumber(length), max: formatNumber(MESSAGE_MAX), over: formatNumber(length - MESSAGE_MAX) })
      : t('room.composer.counter', { count: formatNumber(length), max: formatNumber(MESSAGE_MAX) });
    counter.classList.toggle('over', over);
    if (length >= WARN_AT && !warned) {
      warned = true;
      say(over ? counter.textContent : t('room.composer.nearLimit', { left: formatNumber(MESSAGE_MAX - length) }));
    } else if (length < WARN_AT) {
      warned = false;
    }
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${hint.id} ${error.id} ${counter.id}`);
  }

  function clearError() {
    if (error.hidden) return;
    error.hidden = true;
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', `${hint.id} ${counter.id}`);
  }

  return {
    element,
    input,
    focus: () => input.focus(),
    /** null: writing allowed; a text: read-only, with the reason shown above the (disabled) box. */
    setReadOnly(reason) {
      readOnly.hidden = !reason;
      readOnly.textContent = reason ?? '';
      input.disabled = Boolean(reason);
      send.disabled = Boolean(reason);
      if (reason) picker.close();
    },
  };
}

// Suggestions after "@" in a text box: a list box under it, chosen with the arrow keys and Enter
// (or Tab), closed with Escape; the text box keeps the focus (aria-activedescendant).
// Reports a choice with the bubbling 'mention-chosen' event (detail {id, name}).
import { h, replace } from '../dom.js';
import { t, tn } from '../i18n.js';

const MAX_SHOWN = 8;
// "@" at the start or after a space, then up to 40 characters without another "@" or line break.
const QUERY = /(?:^|\s)@([^@\n]{0,40})$/;

export function createMentionPicker({ idPrefix, input, say }) {
  const listId = `${idPrefix}-mentions`;
  const list = h('ul', { class: 'mention-list', id: listId, role: 'listbox', 'aria-label': t('room.mention.listLabel'), hidden: true });
  let options = []; // { id, name }
  let active = -1;
  let query = null; // { start, text } of the "@…" being typed

  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listId);

  list.addEventListener('mousedown', (event) => event.preventDefault()); // keeps the focus in the box
  list.addEventListener('click', (event) => {
    const item = event.target.closest('[role="option"]');
    if (item) choose(Number(item.dataset.index));
  });

  /** Looks at the text before the cursor and shows matching people. */
  function update(candidates) {
    const before = input.value.slice(0, input.selectionStart ?? input.value.length);
    const match = QUERY.exec(before);
    if (!match) {
      close();
      return;
    }
    const text = match[1];
    const wanted = text.toLocaleLowerCase();
    const seen = new Set();
    const found = candidates.filter((c) => {
      if (c.id == null || seen.has(c.id)) return false;
      seen.add(c.id);
      const name = c.name.toLocaleLowerCase();
      return name.startsWith(wanted) || name.split(/\s+/).some((part) => part.startsWith(wanted));
    }).slice(0, MAX_SHOWN);
    if (!found.length) {
      close();
      return;
    }
    const wasOpen = !list.hidden;
    query = { start: before.length - text.length - 1, text };
    options = found;
    active = 0;
    render();
    if (!wasOpen) say(tn('room.mention.suggestions', found.length));
  }

  function render() {
    replace(list, ...options.map((person, index) => h('li', {
      id: `${listId}-${index}`, role: 'option', class: 'mention-option', 'aria-selected': String(index === active),
      dataset: { index },
    }, person.name)));
    list.hidden = false;
    input.setAttribute('aria-activedescendant', `${listId}-${active}`);
  }

  function choose(index) {
    const person = options[index];
    if (!person || !query) return;
    const value = input.value;
    const end = query.start + 1 + query.text.length;
    const insert = `@${person.name} `;
    input.value = value.slice(0, query.start) + insert + value.slice(end);
    const caret = query.start + insert.length;
    input.setSelectionRange(caret, caret);
    close();
    input.focus();
    input.dispatchEvent(new CustomEvent('mention-chosen', { bubbles: true, detail: { id: person.id, name: person.name } }));
    say(t('room.mention.inserted', { name: person.name }));
  }

  function close() {
    list.hidden = true;
    options = [];
    active = -1;
    query = null;
    input.removeAttribute('aria-activedescendant');
  }

  /** Keys for the open list; true when the key was used here. */
  function handleKey(event) {
    if (list.hidden || !options.length) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active = (active + step + options.length) % options.length;
      render();
      return true;
    }
    if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
      event.preventDefault();
      choose(active);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
      return true;
    }
    return false;
  }

  return { element: list, update, close, handleKey };
}

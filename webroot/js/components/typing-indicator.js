// "Ben schreibt …": who is typing, each shown for about 5 s after their last typing signal.
import { h } from '../dom.js';
import { t } from '../i18n.js';

const SHOW_MS = 5000;

export function createTypingIndicator() {
  // Not a live region: announcing every keystroke pause would drown the messages.
  const element = h('p', { class: 'typing', id: 'room-typing' });
  const typing = new Map(); // key → { name, until }
  let timer = null;

  function render() {
    const now = Date.now();
    for (const [key, entry] of typing) if (entry.until <= now) typing.delete(key);
    const names = [...typing.values()].map((e) => e.name);
    if (names.length === 0) element.textContent = '';
    else if (names.length === 1) element.textContent = t('room.typing.one', { name: names[0] });
    else if (names.length === 2) element.textContent = t('room.typing.two', { first: names[0], second: names[1] });
    else element.textContent = t('room.typing.many');
    clearTimeout(timer);
    if (typing.size) {
      const next = Math.min(...[...typing.values()].map((e) => e.until)) - now;
      timer = setTimeout(render, Math.max(100, next));
    }
  }

  return {
    element,
    /** participant: {key, name} of the frame. */
    show(participant) {
      if (!participant?.key) return;
      typing.set(participant.key, { name: participant.name, until: Date.now() + SHOW_MS });
      render();
    },
    /** Their message arrived: they are done typing. */
    stop(key) {
      if (typing.delete(key)) render();
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

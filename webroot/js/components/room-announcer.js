// The room's own polite live region: new messages of others are read out in turn, without
// moving the focus. Several at once (a resume after a drop) become one summary.
import { h } from '../dom.js';
import { tn } from '../i18n.js';

const GATHER_MS = 400;
const KEEP_MS = 15000;
const ONE_BY_ONE = 3;

export function createRoomAnnouncer() {
  const element = h('div', { class: 'visually-hidden', id: 'room-live', 'aria-live': 'polite', 'aria-atomic': 'false', 'aria-relevant': 'additions' });
  let batch = [];
  let timer = null;

  function flush() {
    timer = null;
    const texts = batch.length > ONE_BY_ONE ? [tn('room.announce.many', batch.length)] : batch;
    batch = [];
    for (const text of texts) {
      const line = h('p', {}, text);
      element.append(line);
      setTimeout(() => line.remove(), KEEP_MS);
    }
  }

  return {
    element,
    /** A message from someone else: "Neue Nachricht von Anna: …". */
    message(text) {
      batch.push(text);
      if (!timer) timer = setTimeout(flush, GATHER_MS);
    },
    /** Anything else the room wants said (mention suggestions, counters). */
    say(text) {
      const line = h('p', {}, text);
      element.append(line);
      setTimeout(() => line.remove(), KEEP_MS);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

// How far the reader has read in a room: the "Neu" divider before the first unread message, and
// the read mark — sent to the server (members; it drives the unread counts) and kept in this
// browser (for session rooms and guests) — once the newest message is on screen.

const READ_DELAY_MS = 400;

/**
 * initialMark: the server's read mark when known, else null (the one kept locally is used);
 * list: the message list (divider, bottom check); link(): the room link; me(): the participant.
 */
export function createReadTracker({ roomId, initialMark, list, link, me }) {
  let readMark = initialMark;
  let sentRead = 0;
  let timer = null;
  let dividerSeq = null;
  let active = false;

  const storageKey = () => `werkraum.read.${me().key}.${roomId}`;

  function storedMark() {
    try {
      const value = Number(localStorage.getItem(storageKey()));
      return Number.isInteger(value) && value > 0 ? value : null;
    } catch {
      return null;
    }
  }

  function store(seq) {
    try {
      localStorage.setItem(storageKey(), String(seq));
    } catch {
      // the server's read mark (members) still counts
    }
  }

  /** After the first page of messages: where the divider goes (the first unread by others), or null. */
  function begin(messages) {
    if (readMark === null) readMark = storedMark();
    active = true;
    const first = readMark === null ? null : messages.find((m) => m.seq > readMark && m.author?.key !== me().key);
    dividerSeq = first ? first.seq : null;
    list.setDivider(dividerSeq);
    return dividerSeq;
  }

  /** A message of someone else arrived; `seen`: at the bottom of a visible page. */
  function arrived(message, seen) {
    if (seen) return;
    // A new divider only once everything above the old one has been read.
    if (dividerSeq === null || (readMark !== null && dividerSeq <= readMark)) {
      dividerSeq = message.seq;
      list.setDivider(dividerSeq);
    }
  }

  function schedule() {
    if (!active) return;
    clearTimeout(timer);
    timer = setTimeout(mark, READ_DELAY_MS);
  }

  function mark() {
    const room = link();
    if (!active || !room?.joined || document.visibilityState !== 'visible' || !list.isAtBottom()) return;
    const seq = room.lastSeq ?? 0;
    if (seq === 0) return;
    if (readMark === null || seq > readMark) {
      readMark = seq;
      store(seq);
    }
    if (me().guest || seq <= sentRead) return; // guests have no read marks on the server
    sentRead = seq;
    room.request('read', { seq }).catch(() => { sentRead = 0; });
  }

  return {
    begin,
    arrived,
    schedule,
    /** Until the next begin() (a reset reloads the room). */
    pause() {
      active = false;
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

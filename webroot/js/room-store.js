// The messages of one room as the page knows them, by seq. History pages and live events meet
// here: a message already known is never added twice, and changes (edits, deletions, reactions)
// that arrive while a history page is on its way are applied again once it is in, so the page
// ends in the state of the last event whatever the order of the answers.

export function createRoomStore() {
  const messages = new Map(); // seq → message
  let loading = 0;
  let replay = [];

  function sorted() {
    return [...messages.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Applies one change event; returns what changed: { added?, changed: [messages] }. */
  function apply(frame) {
    if (frame.kind === 'message') {
      const message = frame.message;
      if (!message || messages.has(message.seq)) return null;
      messages.set(message.seq, normalise(message));
      const changed = [];
      const parent = message.replyTo ? messages.get(message.replyTo) : null;
      if (parent) {
        parent.replyCount = (parent.replyCount ?? 0) + 1;
        changed.push(parent);
      }
      return { added: messages.get(message.seq), changed };
    }
    if (loading > 0) replay.push(frame);
    return change(frame);
  }

  function change(frame) {
    const seq = frame.kind === 'reaction' || frame.kind === 'result' ? frame.message : frame.message?.seq;
    const message = messages.get(Number(seq));
    if (!message) return null;
    if (frame.kind === 'message_edited') {
      if (message.deleted) return null;
      message.text = frame.message.text;
      message.mentions = frame.message.mentions ?? [];
      message.editedAt = frame.message.editedAt;
    } else if (frame.kind === 'message_deleted') {
      message.deleted = true;
      message.text = null;
      message.reactions = {};
    } else if (frame.kind === 'message_removed') {
      message.deleted = true;
      message.removed = true;
      message.text = null;
      message.reactions = {};
    } else if (frame.kind === 'result') {
      message.result = Boolean(frame.result);
    } else if (frame.kind === 'reaction') {
      if (message.deleted) return null;
      const reactions = { ...(message.reactions ?? {}) };
      if (frame.authors?.length) reactions[frame.emoji] = frame.authors;
      else delete reactions[frame.emoji];
      message.reactions = reactions;
    } else {
      return null;
    }
    return { changed: [message] };
  }

  return {
    get: (seq) => messages.get(Number(seq)),
    has: (seq) => messages.has(Number(seq)),
    sorted,
    size: () => messages.size,
    oldestSeq() {
      let oldest = null;
      for (const seq of messages.keys()) if (oldest === null || seq < oldest) oldest = seq;
      return oldest;
    },
    newestSeq() {
      let newest = null;
      for (const seq of messages.keys()) if (newest === null || seq > newest) newest = seq;
      return newest;
    },
    replies: (seq) => sorted().filter((m) => m.replyTo === Number(seq)),
    apply,

    /** Who removed a message and why, from the notice its author and the moderators get. */
    noteRemoval(seq, by, reason) {
      const message = messages.get(Number(seq));
      if (!message) return null;
      message.deleted = true;
      message.removed = true;
      message.text = null;
      message.removedBy = by ?? message.removedBy ?? null;
      message.removalReason = reason || null;
      return message;
    },

    /** Call before asking for a history page; changes seen meanwhile are kept for endLoad. */
    beginLoad() {
      loading += 1;
    },

    /** Adds a history page (unknown messages only); returns the added ones and those changed again. */
    endLoad(list) {
      const added = [];
      for (const message of list ?? []) {
        if (messages.has(message.seq)) continue;
        const copy = normalise(message);
        messages.set(copy.seq, copy);
        added.push(copy);
      }
      const changed = new Set();
      for (const frame of replay) change(frame)?.changed.forEach((m) => changed.add(m));
      loading = Math.max(0, loading - 1);
      if (loading === 0) replay = [];
      return { added, changed: [...changed] };
    },

    /** Ends a load that failed. */
    abortLoad() {
      loading = Math.max(0, loading - 1);
      if (loading === 0) replay = [];
    },

    clear() {
      messages.clear();
      replay = [];
    },
  };
}

function normalise(message) {
  return { ...message, seq: Number(message.seq), reactions: { ...(message.reactions ?? {}) }, mentions: message.mentions ?? [] };
}

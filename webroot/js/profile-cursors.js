// Who else has a profile open, in which field, and where their cursors are (docs/protocol.md, "Who
// is editing, and their cursors"): cursors arrive gathered (`profile_cursors`: the latest of each
// editor since the last frame), are kept in the server's coordinates and moved through every op
// after the version they refer to; this tab's own cursor is sent at most about five times a second.
// Used by the profile link, which owns the documents the positions refer to.

const SEND_EVERY_MS = 200;
const RECENT_OPS = 500; // kept to move cursors that refer to an older version than this tab's

export class ProfileCursors {
  /** send(field, index, length): relays this tab's cursor (local coordinates); may reject. */
  constructor({ me, send }) {
    this.me = me;
    this.send = send;
    this.editors = []; // the server's presence list
    this.cursors = new Map(); // participant key → { participant, field, index, length, version }
    this.colours = new Map(); // participant key → colour
    this.recent = [];
    this.mine = null; // { field, index, length } in this tab's documents
    this.timer = null;
    this.sentAt = 0;
    this.unsupported = false;
  }

  /** A presence list; drops the cursors of those who left. */
  setEditors(list) {
    this.editors = Array.isArray(list) ? list.filter((e) => e && typeof e.key === 'string') : [];
    for (const editor of this.editors) if (editor.color) this.colours.set(editor.key, editor.color);
    const here = new Set(this.editors.map((e) => e.key));
    for (const key of [...this.cursors.keys()]) if (!here.has(key)) this.cursors.delete(key);
  }

  /** Relayed cursors (the entries of a `profile_cursors` frame); returns the fields they are in. */
  receiveAll(entries, version) {
    const fields = new Set();
    if (!Array.isArray(entries)) return fields;
    for (const entry of entries) {
      const field = entry && typeof entry === 'object' ? this.receive(entry, version) : null;
      if (field) fields.add(field);
    }
    return fields;
  }

  /** One relayed cursor; `version` is this tab's. Returns its field, or null if it is ignored. */
  receive(entry, version) {
    const participant = entry.participant;
    if (!participant?.key || participant.key === this.me || typeof entry.field !== 'string') return null;
    if (participant.color) this.colours.set(participant.key, participant.color);
    let index = Math.max(0, Number(entry.index) || 0);
    let length = Math.max(0, Number(entry.length) || 0);
    let at = Number(entry.version);
    if (!Number.isInteger(at)) at = version ?? 0;
    if (version !== null && at < version) {
      // Moved through the ops it has not seen, as far as they are still known here.
      for (const op of this.recent) {
        if (op.version > at && op.field === entry.field) [index, length] = moveRange(op, participant, index, length);
      }
      at = version;
    }
    this.cursors.set(participant.key, { participant, field: entry.field, index, length, version: at });
    return entry.field;
  }

  /** A committed op (server coordinates): every cursor that has not seen it moves. */
  applied(op) {
    this.recent.push(op);
    if (this.recent.length > RECENT_OPS) this.recent.shift();
    for (const cursor of this.cursors.values()) {
      if (cursor.field !== op.field || op.version <= cursor.version) continue;
      [cursor.index, cursor.length] = moveRange(op, cursor.participant, cursor.index, cursor.length);
      cursor.version = op.version;
    }
  }

  /** Someone else's change shown here: this tab's own cursor stays where its text went. */
  shifted(field, delta) {
    if (this.mine?.field !== field) return;
    const { index, length } = this.mine;
    const start = delta.transformPosition(index, true);
    this.mine.index = start;
    this.mine.length = Math.max(0, delta.transformPosition(index + length, true) - start);
  }

  /** This tab's selection moved; relayed (throttled). */
  move(field, index, length) {
    this.mine = { field, index, length };
    if (this.timer || this.unsupported) return;
    const wait = Math.max(0, this.sentAt + SEND_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sentAt = Date.now();
      const { field: f, index: i, length: l } = this.mine;
      Promise.resolve(this.send(f, i, l)).catch((err) => {
        if (err?.code === 'unknown_type') this.unsupported = true; // a server without cursors
      });
    }, wait);
  }

  /** After (re)opening: this tab's cursor is sent again; after a fresh open others' are from before. */
  opened(fresh) {
    if (fresh) this.cursors.clear();
    this.unsupported = false;
    if (this.mine) this.move(this.mine.field, this.mine.index, this.mine.length);
  }

  clear() {
    this.cursors.clear();
  }

  stop() {
    clearTimeout(this.timer);
  }
}

/** A selection moved through an op; its owner's own inserts push it on, others' stay behind it. */
function moveRange(op, participant, index, length) {
  const own = participant.userId != null && Number(op.author) === Number(participant.userId);
  const start = op.delta.transformPosition(index, !own);
  const end = op.delta.transformPosition(index + length, !own);
  return [start, Math.max(0, end - start)];
}

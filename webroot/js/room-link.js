// One room on the tab's socket: joins and re-joins it (with `since` after a drop), applies its
// events once each in seq order, and keeps the posts not yet acknowledged — in memory and in
// IndexedDB (each entry's `kept` says whether the browser has committed it durably) — sending them
// one after the other, with their keys, whenever the room is joined. Posts found in storage that this
// tab did not write (a reload, a crash of the browser) are sent too, and counted in `restored`.
import { loadOutbox, storeOutboxEntry, removeOutboxEntry } from './outbox.js';

const RETRY_LATER_MS = 5000;
// The server takes a post's writtenAt up to 7 days back (docs/protocol.md); an hour's margin for clocks.
const WRITTEN_AT_MAX_AGE_MS = (7 * 24 - 1) * 3600 * 1000;

/** Post failures worth another try later; any other code is final for that post. */
const TRANSIENT = new Set(['disconnected', 'offline', 'not_joined', 'internal', 'rate_limited']);

/**
 * One room on the socket. Events: 'joined' (detail: ack result, resumed), 'event' (an event frame,
 * each seq once and in order), 'presence', 'typing', 'reset' (resume impossible: reload the room),
 * 'join-error', 'outbox' (waiting posts changed), 'posted' (a post acknowledged: entry, message),
 * 'moderation' (a moderation notice for this tab), 'slow-mode' (a post waits: retryAfter, seconds),
 * 'evicted' (a moderator took this participant out of the room: the notice), 'restored' (posts taken
 * from this browser's storage: detail { count }).
 */
export class RoomLink extends EventTarget {
  constructor(realtime, roomId) {
    super();
    this.rt = realtime;
    this.roomId = roomId;
    this.refs = 0;
    this.joined = false;
    this.joining = false;
    this.info = null; // the join ack's result
    this.presence = [];
    this.lastSeq = null; // highest seq applied; null until the first join answered
    // { key, text, replyTo, mentions, createdAt, state: queued|sending|failed, error,
    //   kept: null while being stored, true once stored durably, false if storage failed }
    this.outbox = [];
    this.restored = 0; // posts taken from storage that this tab had not written
    this.buffer = [];
    this.ownerKey = null;
    this.sending = false;
    this.retryTimer = null;
    this.discarded = false;
    this.evicted = null; // the notice that took this participant out of the room; no automatic re-join then
  }

  _acquire() {
    this.refs += 1;
  }

  /** The page no longer shows the room; it is left once its waiting posts are sent. */
  release() {
    this.refs -= 1;
    // Deferred: a language switch draws the page anew and takes the room again at once.
    setTimeout(() => this.#leaveIfUnused(), 0);
  }

  request(type, fields = {}) {
    return this.rt.request(type, { room: this.roomId, ...fields });
  }

  /** Queues a post (shown as "sending" until acknowledged) and sends it when joined. */
  post({ text, replyTo = null, mentions = [] }) {
    const entry = { key: newKey(), text, replyTo, mentions, createdAt: new Date().toISOString(), state: 'queued', error: null,
      kept: null };
    this.outbox.push(entry);
    this.#store(entry);
    this.#changed();
    this.#pump();
    return entry;
  }

  retry(key) {
    const entry = this.outbox.find((e) => e.key === key);
    if (!entry || entry.state !== 'failed') return;
    entry.state = 'queued';
    entry.error = null;
    this.#store(entry);
    this.#changed();
    this.#pump();
  }

  discard(key) {
    const entry = this.outbox.find((e) => e.key === key);
    if (!entry || entry.state === 'sending') return;
    this.#remove(entry);
    this.#changed();
  }

  /** Joins again after a moderator removed this participant (a ban refuses it with `banned`). */
  rejoin() {
    this.evicted = null;
    this.#join();
  }

  async _connected() {
    const owner = this.rt.participant?.key ?? null;
    if (owner !== this.ownerKey) {
      this.ownerKey = owner;
      // Posts kept from an earlier visit (a reload or a crash while offline) are sent like fresh ones.
      const stored = await loadOutbox(owner, this.roomId);
      if (owner !== this.ownerKey || this.discarded) return;
      const known = new Set(this.outbox.map((e) => e.key));
      let restored = 0;
      for (const entry of stored) {
        if (known.has(entry.key)) continue;
        this.outbox.push({ key: entry.key, text: entry.text, replyTo: entry.replyTo ?? null,
          mentions: Array.isArray(entry.mentions) ? entry.mentions : [], createdAt: entry.createdAt,
          state: entry.failed ? 'failed' : 'queued', error: entry.failed ?? null, kept: true });
        restored += 1;
      }
      this.outbox.sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
      for (const entry of this.outbox) if (entry.kept !== true) this.#store(entry);
      this.#changed();
      if (restored) {
        this.restored += restored;
        this.dispatchEvent(new CustomEvent('restored', { detail: { count: this.restored } }));
      }
      this.#pump();
    }
    if (!this.evicted && this.rt.state === 'connected' && !this.joined) this.#join();
  }

  _disconnected() {
    this.joined = false;
    this.joining = false;
    this.sending = false;
    clearTimeout(this.retryTimer);
    for (const entry of this.outbox) {
      if (entry.state === 'sending') entry.state = 'queued';
    }
    // Waiting posts now wait for the connection: shown so.
    if (this.outbox.length) this.#changed();
  }

  _discard() {
    this.discarded = true;
    this.joined = false;
    clearTimeout(this.retryTimer);
  }

  _frame(frame) {
    if (frame.type === 'access_ended') {
      // The server took this socket out of the room: the right to read it ended (docs/protocol.md). After a
      // ban or removal, that notice came first and said it already.
      if (this.evicted) return;
      this.evicted = frame;
      this.joined = false;
      this.dispatchEvent(new CustomEvent('evicted', { detail: frame }));
      return;
    }
    if (frame.type === 'presence') {
      this.presence = Array.isArray(frame.members) ? frame.members : [];
      this.dispatchEvent(new CustomEvent('presence', { detail: { members: this.presence } }));
      return;
    }
    if (frame.type === 'moderation') {
      const me = this.rt.participant?.key;
      if ((frame.kind === 'removed' || frame.kind === 'banned') && frame.participant === me) {
        // The server has taken this socket out of the room already.
        this.evicted = frame;
        this.joined = false;
        this.dispatchEvent(new CustomEvent('evicted', { detail: frame }));
        return;
      }
      this.dispatchEvent(new CustomEvent('moderation', { detail: frame }));
      return;
    }
    if (frame.type === 'typing') {
      if (frame.participant?.key === this.rt.participant?.key) return;
      this.dispatchEvent(new CustomEvent('typing', { detail: { participant: frame.participant } }));
      return;
    }
    const seq = Number(frame.seq);
    if (!Number.isInteger(seq)) return;
    if (this.lastSeq === null) {
      this.buffer.push(frame); // joined without since: the ack tells from where on events count
      return;
    }
    this.#apply(frame);
  }

  #apply(frame) {
    const seq = Number(frame.seq);
    if (seq <= this.lastSeq) return; // seen already (e.g. replayed and live)
    if (seq > this.lastSeq + 1) {
      // Never expected (delivery is gap-free), but then ask for exactly what is missing.
      if (this.joined) this.#join();
      return;
    }
    this.lastSeq = seq;
    this.dispatchEvent(new CustomEvent('event', { detail: frame }));
  }

  async #join() {
    if (this.joining || this.discarded) return;
    this.joining = true;
    this.joined = false;
    const resumed = this.lastSeq !== null;
    const fields = resumed ? { since: this.lastSeq } : {};
    let result;
    try {
      result = await this.request('join', fields);
    } catch (err) {
      this.joining = false;
      if (err.code === 'disconnected' || err.code === 'offline' || err.code === 'access_ended') return;
      if (err.code === 'resume_too_old' || (err.code === 'invalid_field' && err.field === 'since')) {
        this.lastSeq = null;
        this.buffer = [];
        this.dispatchEvent(new CustomEvent('reset'));
        this.#join();
        return;
      }
      this.dispatchEvent(new CustomEvent('join-error', { detail: { error: err } }));
      return;
    }
    this.joining = false;
    if (this.discarded) {
      this.request('leave').catch(() => {}); // given back while the join was on its way
      return;
    }
    this.joined = true;
    this.info = result;
    this.presence = Array.isArray(result.presence) ? result.presence : [];
    if (this.lastSeq === null) {
      this.lastSeq = Number(result.lastSeq) || 0;
      const early = this.buffer.sort((a, b) => a.seq - b.seq);
      this.buffer = [];
      for (const frame of early) this.#apply(frame);
    }
    this.dispatchEvent(new CustomEvent('joined', { detail: { result, resumed } }));
    this.dispatchEvent(new CustomEvent('presence', { detail: { members: this.presence } }));
    this.#pump();
    this.#leaveIfUnused();
  }

  /** Sends waiting posts one after the other, in the order they were written. */
  async #pump() {
    if (this.sending || !this.joined) return;
    const entry = this.outbox.find((e) => e.state === 'queued');
    if (!entry) return;
    this.sending = true;
    entry.state = 'sending';
    this.#changed();
    const fields = { key: entry.key, text: entry.text };
    // When it was written; the server refuses times further back than a week (the post then goes without).
    if (entry.createdAt && Date.now() - Date.parse(entry.createdAt) < WRITTEN_AT_MAX_AGE_MS) fields.writtenAt = entry.createdAt;
    if (entry.replyTo) fields.replyTo = entry.replyTo;
    if (entry.mentions?.length) fields.mentions = entry.mentions;
    try {
      const result = await this.request('post', fields);
      this.sending = false;
      this.#remove(entry);
      this.dispatchEvent(new CustomEvent('posted', { detail: { entry, message: result.message, duplicate: result.duplicate } }));
      this.#changed();
      this.#pump();
      this.#leaveIfUnused();
    } catch (err) {
      this.sending = false;
      if (!this.outbox.includes(entry)) return;
      if (err.code === 'slow_mode') {
        // Slow mode: the post waits its turn and goes out by itself when the window has passed.
        const wait = Math.max(1, Number(err.details?.retryAfter) || 1);
        entry.state = 'queued';
        this.#changed();
        this.dispatchEvent(new CustomEvent('slow-mode', { detail: { retryAfter: wait, seconds: err.details?.seconds ?? null } }));
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.#pump(), wait * 1000 + 250);
        return;
      }
      if (TRANSIENT.has(err.code)) {
        entry.state = 'queued';
        this.#changed();
        // After a drop, the next join sends it; a refusal of the moment gets a later try.
        if (err.code !== 'disconnected' && err.code !== 'offline') {
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.#pump(), RETRY_LATER_MS);
        }
        return;
      }
      entry.state = 'failed';
      entry.error = err.code;
      entry.details = err.details ?? null;
      this.#store(entry);
      this.#changed();
      this.#pump();
    }
  }

  #leaveIfUnused() {
    if (this.refs > 0 || this.discarded) return;
    if (this.outbox.some((e) => e.state !== 'failed')) return; // stays joined to deliver them
    this.discarded = true;
    clearTimeout(this.retryTimer);
    this.rt._forget(this);
    if (this.joined) this.request('leave').catch(() => {});
    this.joined = false;
  }

  /** Stores the entry durably; `kept` tells the page when the browser has committed it. */
  #store(entry) {
    if (!this.ownerKey) return;
    entry.kept = null;
    const writing = storeOutboxEntry(this.ownerKey, this.roomId, { ...entry, failed: entry.state === 'failed' ? entry.error : null });
    entry.writing = writing;
    writing.then((ok) => {
      if (entry.writing !== writing) return; // a later write of the same entry decides
      entry.kept = ok;
      if (this.outbox.includes(entry)) this.#changed();
    });
  }

  #remove(entry) {
    this.outbox = this.outbox.filter((e) => e !== entry);
    if (this.ownerKey) removeOutboxEntry(this.ownerKey, this.roomId, entry.key);
  }

  #changed() {
    this.dispatchEvent(new CustomEvent('outbox', { detail: { outbox: this.outbox } }));
  }
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; on plain http (not localhost) build one from random bytes.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

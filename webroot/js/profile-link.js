// One co-edited profile on the tab's socket (docs/protocol.md, "Profiles (co-editing)"), shared by
// everything on the page that shows it. Keeps the server's documents at `version` and this tab's
// edits not yet committed: at most one submitted (with its client and seq), later ones composed per
// field; transforms both against everyone else's ops; keeps them in IndexedDB until committed (an
// edit is submitted only once its record is stored, so that a crash cannot lose which client and seq
// it went out with) and resends the submitted one with the same client and seq as soon as the profile
// is open again after a drop. Edits that a closed or crashed tab (or browser) left behind are taken
// over and sent on the next open, and the page is told what was restored ('restored').
// When the server cannot take them any more, their text is offered back to the user.
//
// Who else is here and their cursors: profile-cursors.js. Status and tags (not part of the documents)
// come with every open and live as `profile_meta` frames; they are changed over HTTP (changeMeta).
//
// Events: 'ready' (documents to show, anew), 'remote' ({field, delta}: apply to the editor),
// 'saving' (saveState changed), 'presence', 'cursors' ({field?}), 'rescued', 'restored', 'reloading', 'failed',
// 'meta' ({status, tags, metaVersion, by}: newer status and tags; `by` {userId, name} when known).
import { Delta } from './rich-text.js';
import { api } from './api.js';
import { PROFILE_FIELDS } from './domain.js';
import { toDelta, withoutAuthor, withAuthor, splitForSubmit, insertedText, plainText, isDocument } from './field-delta.js';
import { ProfileCursors } from './profile-cursors.js';
import { claimClient, nextSeq, seqAtLeast, savePending, takePending, saveRescued } from './profile-pending.js';

const RETRY_MS = 3000;
/** How often a change of status or tags is asked again after someone else's change came first. */
const META_ATTEMPTS = 3;
/** Answers that mean "not now": the next open resends. */
const WAITING = new Set(['disconnected', 'offline', 'access_ended']);
/** Answers after which this tab cannot edit the profile at all. */
const FATAL = new Set(['forbidden', 'unknown_profile', 'too_many_profiles', 'unauthenticated', 'not_found']);

const links = new Map();

/**
 * Whether the inserts of `client`'s edit go before those of `other`'s concurrent edit at one index
 * (docs/protocol.md, "Versions"): a fixed order of the editors' client ids, compared as strings.
 */
export function firstAtTie(client, other) {
  return String(client) <= String(other);
}

/** The link to a profile (one per tab and profile); give it back with release(). */
export function profileLink(realtime, profileId) {
  const id = Number(profileId);
  let link = links.get(id);
  if (!link) {
    link = new ProfileLink(realtime, id);
    links.set(id, link);
  }
  link.refs += 1;
  return link;
}

class ProfileLink extends EventTarget {
  constructor(realtime, profileId) {
    super();
    this.rt = realtime;
    this.id = profileId;
    this.me = realtime.participant?.key ?? 'anon';
    this.client = null; // this tab's editor id, once claimed
    this.initialized = false;
    this.refs = 0;
    this.closed = false;
    this.version = null; // every op up to here is applied (or transformed into the pending edits)
    this.server = null; // field → the server's document at `version`
    this.docs = null; // field → what this tab shows: server ∘ inflight ∘ buffer (null until ready)
    this.inflight = null; // { field, delta, client, seq }
    this.buffer = new Map(); // field → composed later edits
    this.info = null; // { id, spaceId }
    this.meta = null; // { status, tags, metaVersion }: the newest known
    this.isOpen = false; // profile_open answered on the current socket
    this.opening = false;
    this.submitting = false;
    this.early = null; // ops arriving before the answer to an open without `since`
    this.restoreLog = null; // ops since taken-over edits' version, while the documents are loaded
    this.awaitDocs = null;
    this.loadingDocs = false;
    this.peers = new ProfileCursors({ me: this.me, send: (field, index, length) => this.#sendCursor(field, index, length) });
    this.retryTimer = null;
    this.failure = null;
    this.rescued = [];
    this.restored = null; // { fields, text, at }: edits taken over from this browser's storage
    // The stored record: #persist asks for generation `wanted`, `stored` is the last one committed.
    this.wanted = 0;
    this.stored = 0;
    this.storeFailed = false;
    this.flushing = false;
    this.inflightGen = 0; // the generation that stored the edit in flight: it is sent only after that
    this.awaitingStore = false;

    this.onFrame = (event) => this.#frame(event.detail);
    this.onConnected = () => this.#open();
    this.onState = (event) => {
      if (event.detail.state === 'connected') return;
      this.isOpen = false;
      this.#saving();
    };
    realtime.addEventListener('frame', this.onFrame);
    realtime.addEventListener('connected', this.onConnected);
    realtime.addEventListener('state', this.onState);
    this.#init();
  }

  /** Claims this tab's client id, takes over edits left by closed tabs, then opens the profile. */
  async #init() {
    this.client = await claimClient();
    const { adopt, rescued } = await takePending(this.me, this.id, (record) => this.#rescueItems(record));
    this.rescued = rescued;
    if (rescued.length) this.dispatchEvent(new CustomEvent('rescued', { detail: { items: this.rescued } }));
    if (adopt) {
      this.#adopt(adopt);
      this.#noteRestored(adopt);
    }
    this.initialized = true;
    this.#saving();
    if (this.rt.state === 'connected') this.#open();
  }

  get ready() {
    return this.docs !== null;
  }

  /** The server's presence list: [{key, name, userId, color, field}]. */
  get editors() {
    return this.peers.editors;
  }

  /** Other people's cursors: participant key → { participant, field, index, length } (server coordinates). */
  get cursors() {
    return this.peers.cursors;
  }

  /**
   * saved: nothing waits; saving: being sent; while not connected: keeping (being stored in this
   * browser), waiting (stored durably here until the connection is back: "gesichert"), or unkept
   * (this browser could not store it; only this tab holds it).
   */
  get saveState() {
    if (!this.inflight && this.buffer.size === 0) return 'saved';
    if (this.isOpen) return 'saving';
    if (this.stored < this.wanted) return 'keeping';
    return this.storeFailed ? 'unkept' : 'waiting';
  }

  /** A local edit of a field, in document coordinates, inserts stamped with this participant's author. */
  edit(field, delta) {
    if (!this.ready || this.failure) return false;
    this.docs[field] = (this.docs[field] ?? new Delta()).compose(delta);
    const plain = withoutAuthor(delta);
    if (plain.ops.length) {
      const before = this.buffer.get(field);
      this.buffer.set(field, before ? before.compose(plain) : plain);
    }
    this.#persist();
    this.#saving();
    this.#pump();
    return true;
  }

  /** Where a remote cursor (server coordinates at `version`) is in this tab's documents. */
  localRange(field, index, length) {
    let start = index;
    let end = index + length;
    for (const delta of this.#pendingOf(field)) {
      start = delta.transformPosition(start, true);
      end = delta.transformPosition(end, true);
    }
    return { index: start, length: Math.max(0, end - start) };
  }

  /** This tab's selection in a field (local coordinates); relayed to the others, throttled. */
  moveCursor(field, index, length) {
    this.peers.move(field, index, length);
  }

  /** The user has seen (and copied, or not) text the server could not take. */
  dismissRescued(id) {
    this.rescued = this.rescued.filter((item) => item.id !== id);
    saveRescued(this.me, this.id, this.rescued);
    this.dispatchEvent(new CustomEvent('rescued', { detail: { items: this.rescued } }));
  }

  /**
   * Takes status and tags if newer than the ones known (by metaVersion), from any source: an answer of
   * the API, an open, a `profile_meta` frame. Returns whether they were newer.
   */
  noteMeta(source, by = null) {
    const metaVersion = Number(source?.metaVersion);
    if (!Number.isInteger(metaVersion) || (this.meta && this.meta.metaVersion >= metaVersion)) return false;
    const tags = Array.isArray(source.tags) ? source.tags.filter((tag) => typeof tag === 'string') : [];
    this.meta = { status: source.status ?? 'draft', tags, metaVersion };
    this.dispatchEvent(new CustomEvent('meta', { detail: { ...this.meta, by } }));
    return true;
  }

  /**
   * Changes status and/or tags. `change(meta)` gives what to send ({status?, tags?}) for the newest
   * known metadata, or null when there is nothing (left) to do; it may throw to give up. If someone
   * else's change came first (stale_version), the newest metadata are fetched and `change` is asked
   * again. Resolves with the metadata afterwards.
   */
  async changeMeta(change) {
    for (let attempt = 1; ; attempt++) {
      const body = this.meta ? change(this.meta) : null;
      if (!body) return this.meta;
      try {
        const saved = await api.updateProfileMeta(this.id, { ...body, metaVersion: this.meta.metaVersion });
        this.noteMeta(saved);
        return this.meta;
      } catch (err) {
        if (err?.code !== 'stale_version' || attempt >= META_ATTEMPTS) throw err;
        this.noteMeta(await api.profile(this.id));
      }
    }
  }

  colourOf(key) {
    return this.peers.colours.get(key) ?? null;
  }

  /** The page no longer shows the profile; it is closed once its pending edits are committed. */
  release() {
    this.refs -= 1;
    // Deferred: a language switch draws the page anew and takes the link again at once.
    setTimeout(() => this.#closeIfDone(), 0);
  }

  #adopt(record) {
    this.version = record.version;
    if (record.inflight) {
      const { field, delta, client, seq } = record.inflight;
      this.inflight = { field, delta: toDelta(delta), client, seq };
      if (client === this.client) seqAtLeast(seq);
    }
    for (const [field, ops] of record.buffer ?? []) {
      if (typeof field === 'string' && Array.isArray(ops) && ops.length) this.buffer.set(field, toDelta(ops));
    }
    this.restoreLog = [];
    this.#persist();
  }

  async #open() {
    if (!this.initialized || this.opening || this.closed || this.failure || this.rt.state !== 'connected') return;
    this.opening = true;
    this.isOpen = false;
    const resume = this.version !== null;
    if (!resume) this.early = [];
    let result;
    try {
      result = await this.rt.request('profile_open', resume ? { profile: this.id, since: this.version } : { profile: this.id });
    } catch (err) {
      this.opening = false;
      if (WAITING.has(err.code) || this.closed) return; // 'connected' opens it again
      if (resume && (err.code === 'resync_required' || (err.code === 'invalid_field' && err.field === 'since'))) {
        this.#resync(err.code);
        return;
      }
      if (FATAL.has(err.code)) {
        this.#fail(err);
        return;
      }
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.#open(), RETRY_MS);
      return;
    }
    this.opening = false;
    if (this.closed) {
      this.rt.request('profile_close', { profile: this.id }).catch(() => {});
      return;
    }
    if (result.profile) {
      this.info = { id: result.profile.id, spaceId: result.profile.spaceId };
      this.noteMeta(result.profile);
    }
    this.isOpen = true;
    if (!resume) {
      this.version = Number(result.version) || 0;
      this.server = {};
      this.docs = {};
      for (const field of PROFILE_FIELDS) {
        this.server[field] = toDelta(result.fields?.[field]);
        this.docs[field] = this.server[field];
      }
      const early = this.early ?? [];
      this.early = null;
      this.dispatchEvent(new CustomEvent('ready', { detail: { reset: true } }));
      this.#ops(early);
    } else if (this.server === null) {
      this.#loadDocs();
    }
    this.#saving();
    this.#pump();
    this.peers.opened(!resume);
  }

  #frame(frame) {
    if (this.closed || Number(frame.profile) !== this.id) return;
    if (frame.type === 'access_ended') {
      // The server took this socket off the profile: the right to edit it ended (docs/protocol.md).
      this.isOpen = false;
      this.#fail({ code: 'access_ended', reason: frame.reason });
      return;
    }
    if (frame.type === 'profile_ops') this.#ops(frame.ops);
    else if (frame.type === 'profile_presence') {
      this.peers.setEditors(frame.editors);
      this.dispatchEvent(new CustomEvent('presence', { detail: { editors: this.peers.editors } }));
      this.dispatchEvent(new CustomEvent('cursors', { detail: {} }));
    } else if (frame.type === 'profile_meta') {
      this.noteMeta(frame, frame.by ?? null);
    } else if (frame.type === 'profile_cursors') {
      const fields = this.peers.receiveAll(frame.cursors, this.version);
      for (const field of fields) this.dispatchEvent(new CustomEvent('cursors', { detail: { field } }));
    }
  }

  #ops(list) {
    if (!Array.isArray(list) || list.length === 0) return;
    if (this.version === null) {
      this.early?.push(...list);
      return;
    }
    let confirmed = false;
    let changed = false;
    for (const raw of list) {
      const op = { version: Number(raw.version), field: raw.field, delta: toDelta(raw.delta), author: raw.author,
        client: raw.client, seq: raw.seq };
      if (!(op.version > this.version)) continue; // seen already
      if (op.version !== this.version + 1) {
        // Never expected (versions arrive gap-free); then ask for exactly what is missing.
        this.#reopen();
        return;
      }
      this.version = op.version;
      this.restoreLog?.push(op);
      if (this.server) this.server[op.field] = (this.server[op.field] ?? new Delta()).compose(op.delta);
      this.peers.applied(op);
      if (this.inflight && op.client === this.inflight.client && op.seq === this.inflight.seq) {
        this.inflight = null; // committed: the buffer goes next
        confirmed = true;
        continue;
      }
      // Inserts at one index: the editor whose client id sorts first goes first, whoever committed first
      // (as the server does), so that two people typing at one spot each keep their run together.
      let delta = op.delta;
      if (this.inflight?.field === op.field) {
        const mine = this.inflight.delta;
        const first = firstAtTie(op.client, this.inflight.client);
        this.inflight.delta = delta.transform(mine, first);
        delta = mine.transform(delta, !first);
      }
      const later = this.buffer.get(op.field);
      if (later) {
        const first = firstAtTie(op.client, this.client);
        this.buffer.set(op.field, delta.transform(later, first));
        delta = later.transform(delta, !first);
      }
      changed = true;
      if (this.docs) {
        this.docs[op.field] = (this.docs[op.field] ?? new Delta()).compose(delta);
        this.peers.shifted(op.field, delta);
        this.dispatchEvent(new CustomEvent('remote', { detail: { field: op.field, delta, version: op.version, author: op.author } }));
      }
    }
    if (confirmed || (changed && (this.inflight || this.buffer.size))) this.#persist();
    if (this.awaitDocs && this.version >= this.awaitDocs.version) this.#finishRestore();
    this.dispatchEvent(new CustomEvent('cursors', { detail: {} }));
    if (confirmed) {
      this.#saving();
      this.#pump();
      this.#closeIfDone();
    }
  }

  /** Sends the next edit: the one in flight again, or the first field's buffer. */
  #pump() {
    if (!this.isOpen || this.submitting || this.closed || this.failure) return;
    while (!this.inflight) {
      const next = this.buffer.entries().next();
      if (next.done) {
        this.#persist();
        return;
      }
      const [field, delta] = next.value;
      const [part, rest] = splitForSubmit(delta);
      if (rest && rest.ops.length) this.buffer.set(field, rest);
      else this.buffer.delete(field);
      if (part.ops.length === 0) continue; // edits that cancelled each other out
      this.inflight = { field, delta: part, client: this.client, seq: nextSeq() };
      this.#persist();
      this.inflightGen = this.wanted;
    }
    // Only once stored: after a crash its client and seq must be known, or it could be committed twice.
    if (this.stored < this.inflightGen) {
      this.awaitingStore = true; // #flush pumps again
      return;
    }
    this.#submit(this.inflight);
  }

  #submit(inflight) {
    this.submitting = true;
    clearTimeout(this.retryTimer);
    this.rt.request('profile_submit', { profile: this.id, field: inflight.field, delta: inflight.delta.ops,
      baseVersion: this.version, client: inflight.client, seq: inflight.seq })
      .then((result) => {
        this.submitting = false;
        if (this.inflight !== inflight) {
          this.#pump();
          return;
        }
        // Committed; its op (our client and seq) confirms it in order with the others. An op that
        // went by unrecognised would mean this tab's state is wrong: start afresh, keep the text.
        if (Number(result.version) <= this.version) this.#resync('internal');
      })
      .catch((err) => {
        this.submitting = false;
        if (this.closed) return;
        if (this.inflight !== inflight) {
          this.#pump();
          return;
        }
        if (WAITING.has(err.code)) return;
        if (err.code === 'not_open') {
          this.#reopen();
        } else if (err.code === 'internal' || err.code === 'rate_limited') {
          // Over the write limit the same edit goes again when the server says; keystrokes meanwhile wait in the buffer.
          const wait = err.code === 'rate_limited' ? Number(err.details?.retryAfterMs) || RETRY_MS : RETRY_MS;
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.#pump(), wait);
        } else if (FATAL.has(err.code)) {
          this.#fail(err);
        } else {
          this.#resync(err.code);
        }
      });
  }

  /** Documents for edits taken over from storage: the server's now, brought to `version`. */
  async #loadDocs() {
    if (this.loadingDocs || this.closed) return;
    this.loadingDocs = true;
    let snapshot;
    try {
      snapshot = await api.profile(this.id);
    } catch (err) {
      this.loadingDocs = false;
      if (FATAL.has(err.code)) {
        this.#fail(err);
      } else if (this.server === null && this.restoreLog) {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.#loadDocs(), RETRY_MS);
      }
      return;
    }
    this.loadingDocs = false;
    if (this.server !== null || !this.restoreLog || this.closed) return;
    this.awaitDocs = { version: Number(snapshot.version) || 0, fields: snapshot.fields ?? {} };
    if (this.version >= this.awaitDocs.version) this.#finishRestore();
  }

  #finishRestore() {
    const { version, fields } = this.awaitDocs;
    this.awaitDocs = null;
    const server = {};
    for (const field of PROFILE_FIELDS) server[field] = toDelta(fields[field]);
    for (const op of this.restoreLog) {
      if (op.version > version) server[op.field] = (server[op.field] ?? new Delta()).compose(op.delta);
    }
    this.restoreLog = null;
    const docs = {};
    for (const field of Object.keys(server)) {
      let doc = server[field];
      for (const delta of this.#pendingOf(field)) doc = doc.compose(withAuthor(delta, this.me));
      if (!isDocument(doc)) {
        // The kept edits do not fit the profile (e.g. it was restored from a backup): offer them back.
        this.server = server;
        this.#resync('delta_mismatch');
        return;
      }
      docs[field] = doc;
    }
    this.server = server;
    this.docs = docs;
    this.dispatchEvent(new CustomEvent('ready', { detail: { reset: true } }));
    this.#saving();
  }

  /** The pending edits of a field in the order they apply: in flight, then buffered. */
  #pendingOf(field) {
    const list = [];
    if (this.inflight?.field === field) list.push(this.inflight.delta);
    const later = this.buffer.get(field);
    if (later) list.push(later);
    return list;
  }

  /**
   * The server cannot take this tab's pending edits (too old, or refused): keep their text for the
   * user, forget them, and open the profile afresh.
   */
  #resync(code) {
    let rescued = 0;
    const fields = new Set([this.inflight?.field, ...this.buffer.keys()].filter(Boolean));
    for (const field of fields) {
      const pending = this.#pendingOf(field).reduce((a, b) => a.compose(b));
      const full = this.docs?.[field] ? plainText(this.docs[field]).trim() : '';
      if (this.#keepRescued(field, insertedText(pending), full, code)) rescued += 1;
    }
    this.inflight = null;
    this.buffer.clear();
    this.#persist();
    this.version = null;
    this.server = null;
    this.docs = null;
    this.restoreLog = null;
    this.awaitDocs = null;
    this.peers.clear();
    this.dispatchEvent(new CustomEvent('reloading', { detail: { code, rescued } }));
    this.#reopen();
  }

  /** Closes the profile on this socket (if open) and opens it again, from `version` if known. */
  #reopen() {
    const wasOpen = this.isOpen;
    this.isOpen = false;
    this.#saving();
    if (!wasOpen) {
      this.#open();
      return;
    }
    const open = () => this.#open();
    this.rt.request('profile_close', { profile: this.id }).then(open, open);
  }

  /** The pending edits of a record, per field, composed. */
  static #byField(record) {
    const byField = new Map();
    if (record.inflight) byField.set(record.inflight.field, toDelta(record.inflight.delta));
    for (const [field, ops] of record.buffer ?? []) {
      const delta = toDelta(ops);
      byField.set(field, byField.has(field) ? byField.get(field).compose(delta) : delta);
    }
    return byField;
  }

  /** Kept edits of another, closed tab beyond the one this tab takes over: offered back as text. */
  #rescueItems(record) {
    const items = [];
    for (const [field, delta] of ProfileLink.#byField(record)) {
      const text = insertedText(delta);
      if (text) items.push(this.#rescueItem(field, text, '', 'base_too_old'));
    }
    return items;
  }

  #rescueItem(field, text, full, code) {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return { id, field, text, full, code, at: new Date().toISOString() };
  }

  #keepRescued(field, text, full, code) {
    if (!text && !full) return false;
    this.rescued = [...this.rescued, this.#rescueItem(field, text, full, code)];
    saveRescued(this.me, this.id, this.rescued);
    this.dispatchEvent(new CustomEvent('rescued', { detail: { items: this.rescued } }));
    return true;
  }

  /** Edits taken over from this browser's storage (a reload, a closed tab, a crash): the page tells. */
  #noteRestored(record) {
    const byField = ProfileLink.#byField(record);
    if (byField.size === 0) return;
    const text = [...byField.values()].map((delta) => insertedText(delta)).join(' ').replace(/\s+/g, ' ').trim();
    this.restored = { fields: [...byField.keys()], text, at: record.savedAt ?? null };
    this.dispatchEvent(new CustomEvent('restored', { detail: this.restored }));
  }

  /** Asks for the pending edits to be stored as they are now; the newest state wins. */
  #persist() {
    this.wanted += 1;
    this.#flush();
  }

  /** One durable write at a time, each of the newest state; then the save state may say "gesichert". */
  async #flush() {
    if (this.flushing) return;
    this.flushing = true;
    while (this.stored < this.wanted) {
      const generation = this.wanted;
      const ok = await savePending(this.me, this.id, this.#record());
      this.stored = generation;
      this.storeFailed = !ok;
    }
    this.flushing = false;
    this.#saving();
    if (this.awaitingStore) {
      this.awaitingStore = false;
      this.#pump();
    }
  }

  #record() {
    if (!this.inflight && this.buffer.size === 0) return null;
    const inflight = this.inflight ? { field: this.inflight.field, delta: this.inflight.delta.ops,
      client: this.inflight.client, seq: this.inflight.seq } : null;
    return {
      version: this.version,
      inflight,
      buffer: [...this.buffer].map(([field, delta]) => [field, delta.ops]),
      savedAt: new Date().toISOString(),
    };
  }

  /** This tab's cursor, from its documents back to the server's: its pending edits undone. */
  #sendCursor(field, index, length) {
    if (!this.isOpen || !this.server?.[field] || this.closed) return null;
    let start = index;
    let end = index + length;
    const pending = this.#pendingOf(field);
    if (pending.length) {
      const undo = pending.reduce((a, b) => a.compose(b)).invert(this.server[field]);
      start = undo.transformPosition(start);
      end = undo.transformPosition(end);
    }
    return this.rt.request('profile_cursor', { profile: this.id, field, index: start, length: Math.max(0, end - start),
      version: this.version });
  }

  #saving() {
    const state = this.saveState;
    if (state === this.lastSaveState) return;
    this.lastSaveState = state;
    this.dispatchEvent(new CustomEvent('saving', { detail: { state } }));
  }

  #fail(error) {
    this.failure = error;
    clearTimeout(this.retryTimer);
    this.dispatchEvent(new CustomEvent('failed', { detail: { error } }));
  }

  #closeIfDone() {
    if (this.refs > 0 || this.closed) return;
    if ((this.inflight || this.buffer.size) && !this.failure) return; // stays open to deliver them
    this.closed = true;
    links.delete(this.id);
    clearTimeout(this.retryTimer);
    this.peers.stop();
    this.rt.removeEventListener('frame', this.onFrame);
    this.rt.removeEventListener('connected', this.onConnected);
    this.rt.removeEventListener('state', this.onState);
    if (this.isOpen) this.rt.request('profile_close', { profile: this.id }).catch(() => {});
    this.isOpen = false;
  }
}

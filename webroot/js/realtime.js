// The tab's one WebSocket to /ws (docs/protocol.md): requests answered by id, the connection's
// state for the page (connecting / connected / reconnecting / offline / ended), reconnection with
// backoff after a drop. Each open room is a RoomLink (room-link.js), which re-joins with `since`
// and resends waiting posts with their keys; other features get their frames as 'frame' events.
import { api } from './api.js';
import { session } from './session.js';
import { RoomLink } from './room-link.js';

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15000;
const OFFLINE_AFTER_ATTEMPTS = 3; // failed attempts in a row before "offline" rather than "reconnecting"
const HELLO_TIMEOUT_MS = 10000;
const REQUEST_TIMEOUT_MS = 15000; // an answer this late means a dead link: drop it and resume
const IDLE_PING_MS = 25000;
const WATCH_EVERY_MS = 5000;
const CLOSE_POLICY = 1008;

/** A refused request (`code` from the protocol's error table) or a lost connection (`disconnected`, `offline`). */
export class RealtimeError extends Error {
  constructor(code, message, field, details) {
    super(message || code);
    this.name = 'RealtimeError';
    this.code = code;
    this.field = field;
    this.details = details ?? null; // facts that explain a refusal (until when a mute lasts, seconds to wait)
  }
}

class Realtime extends EventTarget {
  #ws = null;
  #state = 'idle'; // idle | connecting | connected | reconnecting | offline | ended
  #opened = false; // the current socket completed its handshake
  #attempts = 0;
  #handshakeFailures = 0;
  #timer = null;
  #watch = null;
  #socketSince = 0;
  #lastFrameAt = 0;
  #pinging = false;
  #nextId = 1;
  #requests = new Map(); // id → { resolve, reject, sentAt }
  #rooms = new Map(); // room id → RoomLink
  #participant = null;
  #waiters = [];

  constructor() {
    super();
    window.addEventListener('online', () => this.#reconnectNow());
    window.addEventListener('offline', () => {
      if (this.#state === 'idle' || this.#state === 'ended') return;
      if (this.#ws) this.#drop();
      this.#setState('offline');
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.#reconnectNow();
    });
  }

  /** connecting, connected, reconnecting, offline, ended (or idle before the first use). */
  get state() {
    return this.#state;
  }

  /** Who this tab is on the socket ({key, name, guest, userId?}), from the last `hello`. */
  get participant() {
    return this.#participant;
  }

  /** Opens the socket unless it is open or on its way. */
  start() {
    if (this.#state !== 'idle' && this.#state !== 'ended') return;
    this.#attempts = 0;
    this.#handshakeFailures = 0;
    this.#connect();
  }

  /** Resolves with the participant once the server said `hello`; rejects if access has ended. */
  ready() {
    this.start();
    if (this.#state === 'connected') return Promise.resolve(this.#participant);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Closes everything, e.g. at logout; the next start() connects afresh (possibly as someone else). */
  shutdown() {
    clearTimeout(this.#timer);
    if (this.#ws) this.#drop(true);
    for (const link of this.#rooms.values()) link._discard();
    this.#rooms.clear();
    this.#participant = null;
    this.#setState('idle');
  }

  /** Asks over HTTP whether this tab's login or guest access still holds; ends the socket if not. */
  verifyAccess() {
    return this.#checkAccess();
  }

  /** Sends a request; resolves with the ack's result, rejects with a RealtimeError. */
  request(type, fields = {}) {
    if (!this.#ws || this.#state !== 'connected') {
      return Promise.reject(new RealtimeError(this.#state === 'ended' ? 'access_ended' : 'offline'));
    }
    const id = `r${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      this.#requests.set(id, { resolve, reject, sentAt: Date.now() });
      try {
        this.#ws.send(JSON.stringify({ ...fields, id, type }));
      } catch {
        this.#requests.delete(id);
        reject(new RealtimeError('disconnected'));
      }
    });
  }

  /** The link to a room, shared by everything on the page that shows it; give it back with release(). */
  room(roomId) {
    const id = Number(roomId);
    let link = this.#rooms.get(id);
    if (!link) {
      link = new RoomLink(this, id);
      this.#rooms.set(id, link);
      if (this.#state === 'connected') link._connected();
    }
    link._acquire();
    return link;
  }

  _forget(link) {
    if (this.#rooms.get(link.roomId) === link) this.#rooms.delete(link.roomId);
  }

  #connect() {
    clearTimeout(this.#timer);
    if (this.#state !== 'reconnecting' && this.#state !== 'offline') this.#setState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(`${scheme}//${location.host}/ws`);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#ws = ws;
    this.#opened = false;
    this.#socketSince = Date.now();
    this.#lastFrameAt = Date.now();
    ws.onopen = () => {
      if (ws === this.#ws) this.#opened = true;
    };
    ws.onmessage = (event) => {
      if (ws === this.#ws) this.#receive(event.data);
    };
    ws.onclose = (event) => {
      if (ws === this.#ws) this.#closed(event.code);
    };
    ws.onerror = () => {}; // a close event follows and says everything there is to say
    clearInterval(this.#watch);
    this.#watch = setInterval(() => this.#watchdog(), WATCH_EVERY_MS);
  }

  #receive(data) {
    this.#lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    switch (frame.type) {
      case 'hello': this.#hello(frame); break;
      case 'ack':
      case 'error': this.#answer(frame); break;
      case 'event':
      case 'presence':
      case 'typing':
      case 'moderation':
      case 'access_ended': {
        // A notice for a room this tab has not joined (a guest's admission from the lobby) goes to listeners.
        const link = this.#rooms.get(Number(frame.room));
        if (link) link._frame(frame);
        else this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
        break;
      }
      // Frames of other features on this socket (profiles): they listen for 'frame' and, to
      // resume after a drop, for 'connected'.
      default: this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    }
  }

  #hello(frame) {
    const before = this.#participant;
    this.#participant = frame.participant ?? null;
    this.#attempts = 0;
    this.#handshakeFailures = 0;
    if (before && this.#participant && before.key !== this.#participant.key) {
      // Another account signed in in another tab (cookies are shared): this page belongs to the old one.
      this.dispatchEvent(new CustomEvent('identity-changed'));
    }
    this.#setState('connected');
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(this.#participant);
    for (const link of this.#rooms.values()) link._connected();
    this.dispatchEvent(new CustomEvent('connected', { detail: { participant: this.#participant } }));
  }

  #answer(frame) {
    const pending = this.#requests.get(frame.id);
    if (!pending) return; // an error with id null: a frame of ours the server could not read
    this.#requests.delete(frame.id);
    if (frame.type === 'ack') pending.resolve(frame.result ?? {});
    else pending.reject(new RealtimeError(frame.code, frame.message, frame.field, frame.details));
  }

  #closed(code) {
    const handshakeFailed = !this.#opened;
    this.#ws = null;
    this.#opened = false;
    clearInterval(this.#watch);
    this.#pinging = false;
    for (const pending of this.#requests.values()) pending.reject(new RealtimeError('disconnected'));
    this.#requests.clear();
    for (const link of this.#rooms.values()) link._disconnected();
    if (this.#state === 'idle' || this.#state === 'ended') return;
    if (code === CLOSE_POLICY) {
      this.#end('policy');
      return;
    }
    if (handshakeFailed) {
      this.#handshakeFailures += 1;
      // A refused handshake looks like any network failure from here; ask over HTTP whether the
      // login (or guest access) is still valid before trying on and on.
      if (this.#handshakeFailures >= 2) this.#checkAccess();
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    clearTimeout(this.#timer);
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.#attempts);
    this.#attempts += 1;
    const offline = navigator.onLine === false || this.#attempts > OFFLINE_AFTER_ATTEMPTS;
    this.#setState(offline ? 'offline' : 'reconnecting');
    // Jitter, so that a restarted server is not met by every tab in the same instant.
    this.#timer = setTimeout(() => this.#connect(), delay * (0.8 + Math.random() * 0.4));
  }

  #reconnectNow() {
    if (this.#ws || !['reconnecting', 'offline'].includes(this.#state)) return;
    this.#attempts = 0;
    this.#connect();
  }

  /** Forgets the current socket at once, as if it had closed (used for dead or unwanted links). */
  #drop(quiet = false) {
    const ws = this.#ws;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    try {
      ws.close();
    } catch {
      // already closed
    }
    if (quiet) {
      this.#ws = null;
      clearInterval(this.#watch);
      for (const pending of this.#requests.values()) pending.reject(new RealtimeError('disconnected'));
      this.#requests.clear();
      for (const link of this.#rooms.values()) link._disconnected();
      return;
    }
    this.#closed(1006);
  }

  #watchdog() {
    if (!this.#ws) return;
    const now = Date.now();
    if (this.#state !== 'connected') {
      if (now - this.#socketSince > HELLO_TIMEOUT_MS) this.#drop();
      return;
    }
    for (const pending of this.#requests.values()) {
      if (now - pending.sentAt > REQUEST_TIMEOUT_MS) {
        this.#drop();
        return;
      }
    }
    if (!this.#pinging && now - this.#lastFrameAt > IDLE_PING_MS) {
      this.#pinging = true;
      this.request('ping').catch(() => {}).finally(() => { this.#pinging = false; });
    }
  }

  async #checkAccess() {
    try {
      if (session.user) {
        await api.me();
      } else {
        const guest = await api.guestMe();
        if (guest?.ended) this.#end('session_ended');
      }
    } catch (err) {
      if (err?.code === 'unauthenticated') this.#end('unauthenticated');
      // Anything else (server down, network): keep trying to reconnect.
    }
  }

  #end(reason) {
    clearTimeout(this.#timer);
    if (this.#ws) this.#drop(true);
    this.#setState('ended');
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new RealtimeError('access_ended'));
    this.dispatchEvent(new CustomEvent('ended', { detail: { reason, guest: Boolean(this.#participant?.guest) } }));
  }

  #setState(next) {
    if (next === this.#state) return;
    this.#state = next;
    this.dispatchEvent(new CustomEvent('state', { detail: { state: next } }));
  }
}

export const realtime = new Realtime();

// Signing out (or in as someone else) ends this tab's socket; the next room opens a new one.
document.addEventListener('werkraum:session', (event) => {
  const user = event.detail.user;
  const current = realtime.participant;
  if (realtime.state === 'idle') return;
  if (!user || (current && !current.guest && current.userId !== user.id)) realtime.shutdown();
});

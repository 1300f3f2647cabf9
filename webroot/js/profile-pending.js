// Profile edits not yet committed, kept in IndexedDB (durable-store.js) so that a closed tab, a
// reload or a crash of the whole browser loses none of them: per participant, profile and editor
// instance (client), the version they are based on, the one submitted (with its client and seq) and
// the later ones. Edits of a client whose tab is gone are taken over by the next tab that opens the
// profile. A tab shows it is alive by holding a Web Lock named after its client for as long as it
// lives (released by the browser when the tab closes or crashes); where Web Locks are missing (plain
// http), by answering on a BroadcastChannel. Nothing is written periodically.
// Also the text the server could not take, until the user has seen it (docs/protocol.md, "Profiles").
import { PENDING, RESCUED, takeOver, write, readOne } from './durable-store.js';

const CLIENT = 'werkraum.profile-client';
const LOCK = 'werkraum.profile-client.';
const CHANNEL = 'werkraum.profile-clients';
/** How long a tab without Web Locks waits for live tabs to answer "who is there?". */
const ASK_MS = 250;

let client = null;
let seq = 0;
let claiming = null;
let channel = null;

function readJson(storage, key, fallback) {
  try {
    const value = JSON.parse(storage.getItem(key) ?? 'null');
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

function writeJson(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // blocked storage: a reload then takes a new client id, and its edits are taken over as a gone tab's
  }
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `tab-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const locks = () => (typeof navigator !== 'undefined' && navigator.locks?.request ? navigator.locks : null);

/** Holds the lock of a client id for the life of this tab; false if another tab holds it. */
function hold(id) {
  return new Promise((resolve) => {
    locks().request(LOCK + id, { ifAvailable: true }, (lock) => {
      resolve(Boolean(lock));
      return lock ? new Promise(() => {}) : undefined;
    }).catch(() => resolve(false));
  });
}

/** Without Web Locks: answers other tabs' "who is there?" with this tab's client id. */
function answerWhoIsThere() {
  if (channel || typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => {
    if (event.data?.type === 'who' && client) channel.postMessage({ type: 'here', nonce: event.data.nonce, client });
  };
}

/**
 * The client ids of tabs alive now: by the locks they hold, or by asking on the BroadcastChannel;
 * null where the browser has neither (then no other tab's edits are taken over).
 */
async function liveClients() {
  if (locks()?.query) {
    try {
      const { held } = await locks().query();
      return new Set(held.map((l) => l.name).filter((n) => n.startsWith(LOCK)).map((n) => n.slice(LOCK.length)));
    } catch {
      return null;
    }
  }
  if (typeof BroadcastChannel === 'undefined') return null;
  const ask = new BroadcastChannel(CHANNEL);
  const nonce = randomId();
  const live = new Set();
  ask.onmessage = (event) => {
    if (event.data?.type === 'here' && event.data.nonce === nonce) live.add(event.data.client);
  };
  ask.postMessage({ type: 'who', nonce });
  await new Promise((resolve) => setTimeout(resolve, ASK_MS));
  ask.close();
  return live;
}

/**
 * This tab's editor id: kept in sessionStorage, so that a reload continues it (with its seq
 * numbers); a duplicated tab, which inherits sessionStorage while the original still lives, takes a
 * new one.
 */
export function claimClient() {
  if (!claiming) {
    claiming = (async () => {
      const kept = readJson(sessionStorage, CLIENT, null);
      const keptId = kept && typeof kept.client === 'string' ? kept.client : null;
      let reuse = false;
      if (keptId !== null) {
        if (locks()) {
          reuse = await hold(keptId);
        } else {
          const live = await liveClients();
          reuse = live !== null && !live.has(keptId);
        }
      }
      if (reuse) {
        client = keptId;
        seq = Number(kept.seq) || 0;
      } else {
        client = randomId();
        seq = 0;
        if (locks()) await hold(client);
      }
      if (!locks()) answerWhoIsThere();
      writeJson(sessionStorage, CLIENT, { client, seq });
      return client;
    })();
  }
  return claiming;
}

/** The next seq of this tab's client (never used before by it). */
export function nextSeq() {
  seq += 1;
  writeJson(sessionStorage, CLIENT, { client, seq });
  return seq;
}

/** After taking over stored edits of this very client: its seq must not be used again. */
export function seqAtLeast(n) {
  if (n > seq) {
    seq = n;
    writeJson(sessionStorage, CLIENT, { client, seq });
  }
}

const pendingKey = (participant, profileId, id) => `${participant}.${profileId}.${id}`;
const rescuedKey = (participant, profileId) => `${participant}.${profileId}`;

/**
 * Stores this tab's pending edits of a profile (null removes them). Resolves true once the browser
 * has committed them durably, false if it could not store them.
 */
export function savePending(participant, profileId, record) {
  return write(PENDING, [[pendingKey(participant, profileId, client), record]]);
}

/**
 * Takes over stored pending edits of the profile: this tab's own (from before a reload) or those of
 * tabs that are gone (closed, or the browser crashed). In one durable transaction, so that two tabs
 * opened at once do not both take them and a crash in between loses nothing: the newest record is
 * stored again under this tab's client, and each further one becomes rescued text
 * (`rescue(record)` → items). Resolves with { adopt: that record or null, rescued: the whole list
 * of rescued items, adopted: how many records were taken }.
 */
export async function takePending(participant, profileId, rescue) {
  const mine = await claimClient();
  const live = await liveClients();
  const prefix = `${participant}.${profileId}.`;
  const rKey = rescuedKey(participant, profileId);
  const before = await readOne(RESCUED, rKey, []);
  return takeOver(PENDING, prefix, [PENDING, RESCUED], (entries) => {
    const found = [];
    const removed = [];
    for (const [key, record] of entries) {
      const owner = key.slice(prefix.length);
      if (owner !== mine && (live === null || live.has(owner))) continue; // a live tab sends its own
      removed.push([key, null]);
      if (valid(record)) found.push({ ...record, owner });
    }
    found.sort((a, b) => (a.owner === mine ? -1 : b.owner === mine ? 1 : String(b.savedAt).localeCompare(String(a.savedAt))));
    const adopt = found[0] ?? null;
    const rescued = [...(Array.isArray(before) ? before : []), ...found.slice(1).flatMap(rescue)];
    const pending = adopt ? [...removed.filter(([key]) => key !== pendingKey(participant, profileId, mine)),
      [pendingKey(participant, profileId, mine), strip(adopt)]] : removed;
    const changes = { [PENDING]: pending };
    if (found.length > 1) changes[RESCUED] = [[rKey, rescued]];
    return { changes, result: { adopt, rescued: rescued.filter(validRescued), adopted: found.length } };
  });
}

function strip(record) {
  const { owner, ...rest } = record;
  return rest;
}

function valid(record) {
  if (!record || !Number.isInteger(record.version) || record.version < 0) return false;
  const inflight = record.inflight;
  if (inflight && (typeof inflight.field !== 'string' || !Array.isArray(inflight.delta)
      || typeof inflight.client !== 'string' || !Number.isInteger(inflight.seq))) return false;
  return Array.isArray(record.buffer ?? []);
}

const validRescued = (item) => item && typeof item.id === 'string';

export function saveRescued(participant, profileId, items) {
  return write(RESCUED, [[rescuedKey(participant, profileId), items.length ? items : null]]);
}

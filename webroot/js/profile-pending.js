// Profile edits not yet committed, kept in localStorage so that a closed tab, a reload or a crash
// of the browser loses none of them: per participant, profile and editor instance (client), the
// version they are based on, the one submitted (with its client and seq) and the later ones. Edits
// of a client whose tab is gone are taken over by the next tab that opens the profile. A tab shows
// it is alive by holding a Web Lock named after its client for as long as it lives (released by the
// browser when the tab closes or crashes); where Web Locks are missing (plain http), by a heartbeat.
// Also the text the server could not take, until the user has seen it (docs/protocol.md, "Profiles").

const PENDING = 'werkraum.profile-pending.';
const RESCUED = 'werkraum.profile-rescued.';
const ALIVE = 'werkraum.profile-alive.';
const CLIENT = 'werkraum.profile-client';
const LOCK = 'werkraum.profile-client.';
const TAKE_LOCK = 'werkraum.profile-take';
const ALIVE_EVERY_MS = 5000;
// Longer than the once-a-minute timers of long hidden tabs, so that those do not count as gone.
const ALIVE_STALE_MS = 75000;

let client = null;
let seq = 0;
let claiming = null;
let heartbeat = null;

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
    return true;
  } catch {
    return false; // blocked or full storage: this tab still holds everything in memory
  }
}

function aliveAt(id) {
  return Number(readJson(localStorage, ALIVE + id, 0)) || 0;
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
      let reuse;
      if (locks()) reuse = keptId !== null && await hold(keptId);
      else reuse = keptId !== null && Date.now() - aliveAt(keptId) > ALIVE_STALE_MS;
      if (reuse) {
        client = keptId;
        seq = Number(kept.seq) || 0;
      } else {
        client = randomId();
        seq = 0;
        if (locks()) await hold(client);
      }
      writeJson(sessionStorage, CLIENT, { client, seq });
      keepAlive();
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

function keepAlive() {
  if (heartbeat) return;
  const beat = () => writeJson(localStorage, ALIVE + client, Date.now());
  beat();
  heartbeat = setInterval(beat, ALIVE_EVERY_MS);
  // A closed or reloaded tab is no longer alive; a crashed one goes stale after a while.
  window.addEventListener('pagehide', () => writeJson(localStorage, ALIVE + client, null));
  window.addEventListener('pageshow', beat);
}

/** The client ids of tabs alive now, or null where the browser cannot tell (then heartbeats decide). */
async function liveClients() {
  if (!locks()?.query) return null;
  try {
    const { held } = await locks().query();
    return new Set(held.map((l) => l.name).filter((n) => n.startsWith(LOCK)).map((n) => n.slice(LOCK.length)));
  } catch {
    return null;
  }
}

const pendingKey = (participant, profileId, id) => `${PENDING}${participant}.${profileId}.${id}`;

/** Stores this tab's pending edits of a profile (null removes them). */
export function savePending(participant, profileId, record) {
  return writeJson(localStorage, pendingKey(participant, profileId, client), record);
}

/**
 * Takes over stored pending edits of the profile: this tab's own (from before a reload) or those of
 * tabs that are gone. Resolves with { adopt: the newest record or null, others: further records };
 * what it returns is removed from storage (the caller stores what it keeps under its own client).
 * One tab at a time, so that two tabs opened at once do not both take the same edits.
 */
export async function takePending(participant, profileId) {
  const mine = await claimClient();
  const take = async () => {
    const live = await liveClients();
    const prefix = `${PENDING}${participant}.${profileId}.`;
    const found = [];
    let keys;
    try {
      keys = Object.keys(localStorage).filter((k) => k.startsWith(prefix));
    } catch {
      return { adopt: null, others: [] };
    }
    for (const key of keys) {
      const owner = key.slice(prefix.length);
      const alive = live ? live.has(owner) : Date.now() - aliveAt(owner) <= ALIVE_STALE_MS;
      if (owner !== mine && alive) continue; // a live tab sends its own
      const record = readJson(localStorage, key, null);
      writeJson(localStorage, key, null);
      if (valid(record)) found.push({ ...record, owner });
    }
    found.sort((a, b) => (a.owner === mine ? -1 : b.owner === mine ? 1 : String(b.savedAt).localeCompare(String(a.savedAt))));
    return { adopt: found[0] ?? null, others: found.slice(1) };
  };
  if (!locks()) return take();
  try {
    return await locks().request(`${TAKE_LOCK}.${participant}.${profileId}`, take);
  } catch {
    return take();
  }
}

function valid(record) {
  if (!record || !Number.isInteger(record.version) || record.version < 0) return false;
  const inflight = record.inflight;
  if (inflight && (typeof inflight.field !== 'string' || !Array.isArray(inflight.delta)
      || typeof inflight.client !== 'string' || !Number.isInteger(inflight.seq))) return false;
  return Array.isArray(record.buffer ?? []);
}

const rescuedKey = (participant, profileId) => `${RESCUED}${participant}.${profileId}`;

/** Text the server could not take, kept until the user closes its notice. */
export function loadRescued(participant, profileId) {
  const items = readJson(localStorage, rescuedKey(participant, profileId), []);
  return Array.isArray(items) ? items.filter((i) => i && typeof i.id === 'string') : [];
}

export function saveRescued(participant, profileId, items) {
  writeJson(localStorage, rescuedKey(participant, profileId), items.length ? items : null);
}

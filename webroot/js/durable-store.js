// What this browser keeps for the user until the server has it: profile edits not yet committed, the
// text the server could not take, and chat posts not yet acknowledged. Kept in IndexedDB, each change
// in a transaction with strict durability: its promise resolves only after the browser reported the
// commit complete (flushed to disk), so the page may then say "gesichert" — it survives a crash of the
// whole browser, which localStorage (written to disk lazily) does not. Whatever an older version of
// the page left in localStorage is moved here once and then removed there.

const DB_NAME = 'werkraum';
const DB_VERSION = 1;

/** The object stores; keys are strings "<participant>.<profile or room>.<…>". */
export const PENDING = 'profile-pending';
export const RESCUED = 'profile-rescued';
export const OUTBOX = 'outbox';

// What older versions kept in localStorage (prefix → store), and their tab heartbeats (dropped).
const LEGACY = [
  ['werkraum.profile-pending.', PENDING],
  ['werkraum.profile-rescued.', RESCUED],
  ['werkraum.outbox.', OUTBOX],
];
const LEGACY_HEARTBEAT = 'werkraum.profile-alive.';

let opening = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('IndexedDB is not available'));
        return;
      }
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        for (const name of [PENDING, RESCUED, OUTBOX]) {
          if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
        }
      };
      req.onsuccess = () => {
        const db = req.result;
        // A newer version of the page in another tab wants to upgrade: let it.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }).then(async (db) => {
      await migrateLegacy(db);
      return db;
    });
    // Blocked or private mode: try again on the next use.
    opening.catch(() => { opening = null; });
  }
  return opening;
}

/** A readwrite transaction with strict durability; resolves with `work`'s result once committed. */
async function committed(stores, work) {
  const db = await openDatabase();
  const tx = db.transaction(stores, 'readwrite', { durability: 'strict' });
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    tx.onerror = () => reject(tx.error);
  });
  let result;
  try {
    result = await work(tx);
  } catch (err) {
    try { tx.abort(); } catch { /* already finished */ }
    await done.catch(() => {});
    throw err;
  }
  await done;
  return result;
}

/** Older versions' entries in localStorage, moved here in one durable transaction, then removed there. */
async function migrateLegacy(db) {
  let storage;
  try {
    storage = window.localStorage;
  } catch {
    return; // blocked storage: nothing to move
  }
  const moves = [];
  const stale = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key === null) continue;
    if (key.startsWith(LEGACY_HEARTBEAT)) stale.push(key);
    for (const [prefix, store] of LEGACY) {
      if (key.startsWith(prefix)) moves.push({ key, store, rest: key.slice(prefix.length) });
    }
  }
  if (moves.length) {
    const tx = db.transaction([PENDING, RESCUED, OUTBOX], 'readwrite', { durability: 'strict' });
    for (const { key, store, rest } of moves) {
      let value;
      try {
        value = JSON.parse(storage.getItem(key) ?? 'null');
      } catch {
        value = null; // a damaged entry: nothing to keep
      }
      if (value === null) continue;
      if (store === OUTBOX) {
        // Was one object per room ({postKey: entry}); now one record per post.
        for (const entry of Object.values(value ?? {})) {
          if (entry && typeof entry.key === 'string') tx.objectStore(OUTBOX).put(entry, `${rest}.${entry.key}`);
        }
      } else if (store === PENDING) {
        // Was "<participant>.<profile>.<client>", as now.
        tx.objectStore(PENDING).put(value, rest);
      } else {
        tx.objectStore(RESCUED).put(value, rest);
      }
    }
    try {
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onabort = () => reject(tx.error);
      });
    } catch {
      return; // kept in localStorage; the next page load tries again
    }
  }
  for (const { key } of moves) storage.removeItem(key);
  for (const key of stale) storage.removeItem(key);
}

const range = (prefix) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);

/** Every value of a store whose key starts with `prefix`, in key order; [] if storage fails. */
export async function readPrefix(store, prefix) {
  try {
    const db = await openDatabase();
    return await request(db.transaction(store, 'readonly').objectStore(store).getAll(range(prefix)));
  } catch {
    return [];
  }
}

/** One value, or `fallback`. */
export async function readOne(store, key, fallback = null) {
  try {
    const db = await openDatabase();
    const value = await request(db.transaction(store, 'readonly').objectStore(store).get(key));
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * Puts (or, for value null, deletes) each [key, value] of `changes` in one durable transaction.
 * Resolves true once the browser committed it, false if it could not (then only memory holds it).
 */
export async function write(store, changes) {
  try {
    await committed([store], (tx) => {
      const os = tx.objectStore(store);
      for (const [key, value] of changes) {
        if (value === null || value === undefined) os.delete(key);
        else os.put(value, key);
      }
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the records of `store` under `prefix` and lets `decide(entries)` (synchronous, over
 * [key, value] pairs) say what to change, in one durable transaction: another tab doing the same
 * waits for it, so a record is taken once. `decide` returns { changes: {store: [[key, value|null]]},
 * result }. Resolves with the result, or with `decide([])`'s result where storage fails.
 */
export async function takeOver(store, prefix, stores, decide) {
  try {
    return await committed(stores, (tx) => new Promise((resolve, reject) => {
      const os = tx.objectStore(store);
      const keysReq = os.getAllKeys(range(prefix));
      const valuesReq = os.getAll(range(prefix));
      valuesReq.onsuccess = () => {
        try {
          const entries = keysReq.result.map((key, i) => [key, valuesReq.result[i]]);
          const { changes, result } = decide(entries);
          for (const [name, list] of Object.entries(changes)) {
            const target = tx.objectStore(name);
            for (const [key, value] of list) {
              if (value === null || value === undefined) target.delete(key);
              else target.put(value, key);
            }
          }
          resolve(result);
        } catch (err) {
          reject(err);
        }
      };
      valuesReq.onerror = () => reject(valuesReq.error);
    }));
  } catch {
    return decide([]).result;
  }
}

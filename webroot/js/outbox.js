// Posts not yet acknowledged by the server, kept in localStorage per participant and room, so
// that a reload or a closed tab while offline loses nothing: they are sent again (same key, so
// never twice) when the room is next joined. One object per room, keyed by post key; each change
// reads and writes that object, so another tab's removal is not undone by this one.

const PREFIX = 'werkraum.outbox.';

function storageKey(participantKey, roomId) {
  return `${PREFIX}${participantKey}.${roomId}`;
}

function read(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {}; // blocked storage or a damaged entry: memory still holds this tab's posts
  }
}

function write(key, entries) {
  try {
    if (Object.keys(entries).length === 0) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(entries));
  } catch {
    // Storage full or blocked: the post still waits in memory until this tab closes.
  }
}

/** The stored posts of a room, oldest first. */
export function loadOutbox(participantKey, roomId) {
  const entries = Object.values(read(storageKey(participantKey, roomId)));
  return entries
    .filter((e) => e && typeof e.key === 'string' && typeof e.text === 'string')
    .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
}

export function storeOutboxEntry(participantKey, roomId, entry) {
  const key = storageKey(participantKey, roomId);
  const entries = read(key);
  const { key: postKey, text, replyTo, mentions, createdAt, failed } = entry;
  entries[postKey] = { key: postKey, text, replyTo, mentions, createdAt, failed: failed ?? null };
  write(key, entries);
}

export function removeOutboxEntry(participantKey, roomId, postKey) {
  const key = storageKey(participantKey, roomId);
  const entries = read(key);
  if (!(postKey in entries)) return;
  delete entries[postKey];
  write(key, entries);
}

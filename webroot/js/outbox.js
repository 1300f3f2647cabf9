// Posts not yet acknowledged by the server, kept in IndexedDB (durable-store.js) per participant, room
// and post key, so that a reload, a closed tab or a crash of the whole browser while offline loses
// nothing: they are sent again (same key, so never twice) when the room is next joined. One record
// per post: another tab's removal is never undone by this one.
import { OUTBOX, readPrefix, write } from './durable-store.js';

const prefix = (participantKey, roomId) => `${participantKey}.${roomId}.`;

/** The stored posts of a room, oldest first. */
export async function loadOutbox(participantKey, roomId) {
  const entries = await readPrefix(OUTBOX, prefix(participantKey, roomId));
  return entries
    .filter((e) => e && typeof e.key === 'string' && typeof e.text === 'string')
    .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
}

/** Stores a post; resolves true once the browser committed it durably, false if it could not. */
export function storeOutboxEntry(participantKey, roomId, entry) {
  const { key: postKey, text, replyTo, mentions, createdAt, failed } = entry;
  return write(OUTBOX, [[prefix(participantKey, roomId) + postKey,
    { key: postKey, text, replyTo, mentions, createdAt, failed: failed ?? null }]]);
}

export function removeOutboxEntry(participantKey, roomId, postKey) {
  return write(OUTBOX, [[prefix(participantKey, roomId) + postKey, null]]);
}

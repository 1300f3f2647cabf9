package de.werkraum.room;

import io.vertx.core.json.JsonObject;

/** The event frames of a room, as stored, replayed and sent live: {@code {"type":"event","room","seq","kind",...}}. */
final class Events {

  static final String MESSAGE = "message";
  static final String EDITED = "message_edited";
  static final String DELETED = "message_deleted";
  static final String REACTION = "reaction";
  static final String ROOM_STATE = "room_state";
  static final String MESSAGE_REMOVED = "message_removed";
  static final String POLL = "poll";
  static final String RESULT = "result";

  private Events() {}

  static JsonObject message(long roomId, JsonObject message) {
    return new JsonObject().put("type", "event").put("room", roomId).put("seq", message.getLong("seq"))
        .put("kind", MESSAGE).put("message", message);
  }

  /** A stored payload ({@code kind} and its fields) with its room and seq. */
  static JsonObject stored(long roomId, long seq, JsonObject payload) {
    JsonObject frame = new JsonObject().put("type", "event").put("room", roomId).put("seq", seq);
    return frame.mergeIn(payload);
  }

  /** The room event bus address; every node's gateway instances listen on it once per room. */
  static String address(long roomId) {
    return "room." + roomId;
  }

  /** Unnumbered moderation notices for some of the room's sockets: its moderators, one participant, or all. */
  static String noticeAddress(long roomId) {
    return "room." + roomId + ".moderation";
  }

  static String presenceAddress(long roomId) {
    return "room." + roomId + ".presence";
  }
}

package de.werkraum.web.socket;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A right to read may have ended for someone on open sockets: published on the event bus after the change
 * committed, consumed by every gateway instance on every node, which has each room and profile channel in
 * its scope re-check its sockets against the database (see {@link SocketHandler#accessChanged}).
 *
 * @param spaceId     every room and profile of this space (or null)
 * @param roomId      this room (or null)
 * @param participant only this participant's sockets ({@code u12}, {@code g3}); null: everyone's
 * @param reason      what the sockets that lose the right are told ({@code access_ended}'s {@code reason})
 */
public record AccessChange(Long spaceId, Long roomId, String participant, String reason) {

  public static final String ADDRESS = "werkraum.socket.access-changed";

  /** Someone's rights in a space changed (membership removed, role changed). */
  public static AccessChange inSpace(long spaceId, String participant, String reason) {
    return new AccessChange(spaceId, null, participant, reason);
  }

  /** Who may read one room changed (its list, its session's end). */
  public static AccessChange inRoom(long roomId, String reason) {
    return new AccessChange(null, roomId, null, reason);
  }

  /** Call after the commit and before answering the one who made the change. */
  public void publish(Vertx vertx) {
    vertx.eventBus().publish(ADDRESS, toJson());
  }

  /** Whether a room or profile of {@code space} (null: not yet known, so maybe) is in scope. */
  public boolean covers(Long space, Long room) {
    return (spaceId != null && (space == null || spaceId.equals(space))) || (roomId != null && roomId.equals(room));
  }

  /** Whether a socket of this participant is to be re-checked. */
  public boolean concerns(String participantKey) {
    return participant == null || participant.equals(participantKey);
  }

  JsonObject toJson() {
    return new JsonObject().put("space", spaceId).put("room", roomId).put("participant", participant).put("reason", reason);
  }

  static AccessChange fromJson(JsonObject json) {
    return new AccessChange(json.getLong("space"), json.getLong("room"), json.getString("participant"), json.getString("reason"));
  }

  /** The notice a socket gets for each room or profile it was taken out of: {@code {"type":"access_ended","room":3,"reason":…}}. */
  public static String notice(String what, long id, String reason) {
    return new JsonObject().put("type", "access_ended").put(what, id).put("reason", reason).encode();
  }
}

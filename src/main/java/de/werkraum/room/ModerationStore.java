package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * SQL of moderation. Every action runs in one transaction that locks the room row, checks the actor's
 * right in the database ({@link RoomAccess#canModerate}), applies the change, appends one entry to the
 * moderation log and, when the room's visible state changed, stores a numbered room event.
 */
final class ModerationStore {

  /** Who may run an action: the room's moderators, or anyone who may read the room. */
  enum Need { MODERATOR, READER }

  /** One moderation log entry; null for actions of participants (raising a hand, voting, reporting). */
  record Log(String action, String target, String targetName, JsonObject details, String reason) {}

  /**
   * What an action did: its ack result, its log entry, and the event payload to number and publish:
   * {@code stateChanged} stores a {@code room_state} event with the room's new state; {@code event} any other.
   */
  record Done(JsonObject result, Log log, JsonObject event, boolean stateChanged) {
    static Done of(JsonObject result, Log log, boolean stateChanged) {
      return new Done(result, log, null, stateChanged);
    }
  }

  /** What the transaction committed: the ack result and the event frame to publish (or null). */
  record Acted(JsonObject result, JsonObject frame, long spaceId) {}

  /** A participant an action is about. */
  record Target(String key, Long userId, Long guestId, String name, boolean canRead, boolean moderator) {}

  interface Action {
    Future<Done> apply(SqlConnection tx, long spaceId);
  }

  private final Pool pool;

  ModerationStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  Future<Acted> act(Participant p, long roomId, Need need, boolean needsOpen, Action action) {
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT r.space_id, " + RoomAccess.isOpen("r") + ", "
                + RoomAccess.canRead("r", "$2", "$3") + ", " + RoomAccess.canModerate("r", "$2")
                + " FROM rooms r WHERE r.id = $1 FOR UPDATE")
            .execute(Tuple.of(roomId, p.userId(), p.guestId()))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(new ApiError(404, "unknown_room", "There is no room " + roomId));
              }
              Row r = rows.iterator().next();
              boolean allowed = need == Need.MODERATOR ? r.getBoolean(3) : r.getBoolean(2);
              if (!allowed) {
                return Future.failedFuture(new ApiError(403, "forbidden", need == Need.MODERATOR
                    ? "Only the room's moderators may do this" : "You may not enter this room"));
              }
              if (needsOpen && !r.getBoolean(1)) {
                return Future.failedFuture(new ApiError(409, "room_closed", "This room is archived or its session has ended; it is read-only"));
              }
              long spaceId = r.getLong(0);
              return action.apply(tx, spaceId).compose(done -> log(tx, p, roomId, spaceId, done.log())
                  .compose(v -> event(tx, p, roomId, done))
                  .map(frame -> new Acted(done.result(), frame, spaceId)));
            }));
  }

  private Future<Void> log(SqlConnection tx, Participant p, long roomId, long spaceId, Log log) {
    if (log == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery("""
            INSERT INTO moderation_log (room_id, space_id, actor, actor_name, action, target, target_name, details, reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""")
        .execute(Tuple.from(new Object[] {roomId, spaceId, p.key(), p.name(), log.action(), log.target(), log.targetName(),
            log.details() == null ? new JsonObject() : log.details(), log.reason() == null ? "" : log.reason()}))
        .mapEmpty();
  }

  private Future<JsonObject> event(SqlConnection tx, Participant p, long roomId, Done done) {
    Future<JsonObject> payload;
    if (done.stateChanged()) {
      payload = state(tx, roomId).map(state -> new JsonObject().put("kind", Events.ROOM_STATE)
          .put("action", done.log() == null ? null : done.log().action()).put("by", p.key()).put("state", state));
    } else {
      payload = Future.succeededFuture(done.event());
    }
    return payload.compose(body -> body == null ? Future.succeededFuture(null)
        : tx.preparedQuery("UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq").execute(Tuple.of(roomId))
            .compose(rows -> {
              long seq = rows.iterator().next().getLong(0);
              return tx.preparedQuery("INSERT INTO room_events (room_id, seq, payload) VALUES ($1, $2, $3)")
                  .execute(Tuple.of(roomId, seq, body))
                  .map(v -> Events.stored(roomId, seq, body));
            }));
  }

  /** The room's moderation state everyone in it sees. */
  Future<JsonObject> state(io.vertx.sqlclient.SqlClient client, long roomId) {
    return client.preparedQuery("""
            SELECT r.locked, r.slow_mode_seconds, r.floor_only, r.floor_holder, r.floor_holder_name, r.hide_participants,
                   """ + RoomAccess.isOpen("r") + """
            ,
                   (SELECT coalesce(json_agg(json_build_object('key', h.participant, 'name', h.name, 'raisedAt', h.raised_at)
                           ORDER BY h.raised_at, h.participant), '[]'::json) FROM room_hands h WHERE h.room_id = r.id),
                   (SELECT coalesce(json_agg(p.message_seq ORDER BY p.pinned_at, p.message_seq), '[]'::json) FROM room_pins p WHERE p.room_id = r.id)
            FROM rooms r WHERE r.id = $1""")
        .execute(Tuple.of(roomId))
        .map(rows -> {
          Row r = rows.iterator().next();
          JsonObject floor = r.getString(3) == null ? null : new JsonObject().put("key", r.getString(3)).put("name", r.getString(4));
          return new JsonObject().put("open", r.getBoolean(6)).put("locked", r.getBoolean(0)).put("slowModeSeconds", r.getInteger(1))
              .put("floorOnly", r.getBoolean(2)).put("floor", floor).put("hideParticipants", r.getBoolean(5))
              .put("hands", (JsonArray) r.getValue(7)).put("pins", (JsonArray) r.getValue(8));
        });
  }

  /** The participant behind a key ({@code u12}, {@code g3}) as seen from the room, or null when there is none. */
  Future<Target> target(SqlConnection tx, long roomId, String key) {
    Long userId = key.startsWith("u") ? Long.valueOf(key.substring(1)) : null;
    Long guestId = key.startsWith("g") ? Long.valueOf(key.substring(1)) : null;
    return tx.preparedQuery("SELECT coalesce((SELECT display_name FROM users WHERE id = $2), (SELECT display_name FROM guests WHERE id = $3)), "
            + RoomAccess.canRead("r", "$2", "$3") + ", " + RoomAccess.canModerate("r", "$2") + " FROM rooms r WHERE r.id = $1")
        .execute(Tuple.of(roomId, userId, guestId))
        .map(rows -> {
          Row r = rows.iterator().next();
          return r.getString(0) == null ? null : new Target(key, userId, guestId, r.getString(0), r.getBoolean(1), r.getBoolean(2));
        });
  }

  /** A participant's own standing in the room: their mute (or null) and whether their hand is up. */
  Future<JsonObject> standing(Participant p, long roomId) {
    return pool.preparedQuery("""
            SELECT mu.until, mu.reason, mu.with_reactions, mu.participant IS NOT NULL,
                   EXISTS (SELECT 1 FROM room_hands h WHERE h.room_id = $1 AND h.participant = $2)
            FROM (SELECT 1) x LEFT JOIN room_mutes mu ON mu.room_id = $1 AND mu.participant = $2 AND (mu.until IS NULL OR mu.until > now())""")
        .execute(Tuple.of(roomId, p.key()))
        .map(rows -> {
          Row r = rows.iterator().next();
          JsonObject mute = !r.getBoolean(3) ? null : new JsonObject()
              .put("until", r.getOffsetDateTime(0) == null ? null : r.getOffsetDateTime(0).toInstant().toString())
              .put("reason", r.getString(1)).put("reactions", r.getBoolean(2));
          return new JsonObject().put("muted", mute).put("handRaised", r.getBoolean(4));
        });
  }

  /** What only moderators see: the lobby, mutes, bans and open reports. */
  Future<JsonObject> moderatorView(long roomId) {
    return pool.preparedQuery("""
            SELECT
              (SELECT coalesce(json_agg(json_build_object('guestId', g.id, 'key', 'g' || g.id, 'name', g.display_name, 'since', g.created_at)
                      ORDER BY g.created_at, g.id), '[]'::json)
                 FROM guests g JOIN sessions s ON s.id = g.session_id WHERE s.room_id = $1 AND g.status = 'lobby'),
              (SELECT coalesce(json_agg(json_build_object('key', mu.participant, 'until', mu.until, 'reason', mu.reason,
                      'reactions', mu.with_reactions,
                      'name', CASE left(mu.participant, 1)
                                WHEN 'u' THEN (SELECT u.display_name FROM users u WHERE u.id = substr(mu.participant, 2)::bigint)
                                WHEN 'g' THEN (SELECT g.display_name FROM guests g WHERE g.id = substr(mu.participant, 2)::bigint) END)
                      ORDER BY mu.created_at), '[]'::json)
                 FROM room_mutes mu WHERE mu.room_id = $1 AND (mu.until IS NULL OR mu.until > now())),
              (SELECT coalesce(json_agg(json_build_object('key', b.participant, 'name', b.name, 'reason', b.reason, 'at', b.created_at)
                      ORDER BY b.created_at), '[]'::json) FROM room_bans b WHERE b.room_id = $1),
              (SELECT coalesce(json_agg(json_build_object('id', rp.id, 'message', rp.message_seq, 'reporter', rp.reporter,
                      'reporterName', rp.reporter_name, 'reason', rp.reason, 'at', rp.created_at) ORDER BY rp.id), '[]'::json)
                 FROM reports rp WHERE rp.room_id = $1 AND rp.status = 'open')""")
        .execute(Tuple.of(roomId))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new JsonObject().put("lobby", (JsonArray) r.getValue(0)).put("mutes", (JsonArray) r.getValue(1))
              .put("bans", (JsonArray) r.getValue(2)).put("reports", (JsonArray) r.getValue(3));
        });
  }

  /** The moderation log of a room, newest first, before the entry id {@code before}. */
  Future<JsonArray> logOf(long roomId, long before, int limit) {
    return pool.preparedQuery("""
            SELECT id, actor, actor_name, action, target, target_name, details, reason, at FROM moderation_log
            WHERE room_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3""")
        .execute(Tuple.of(roomId, before, limit))
        .map(rows -> {
          JsonArray list = new JsonArray();
          for (Row r : rows) {
            list.add(new JsonObject().put("id", r.getLong(0))
                .put("actor", new JsonObject().put("key", r.getString(1)).put("name", r.getString(2)))
                .put("action", r.getString(3))
                .put("target", r.getString(4) == null ? null : new JsonObject().put("key", r.getString(4)).put("name", r.getString(5)))
                .put("details", (JsonObject) r.getValue(6)).put("reason", r.getString(7))
                .put("at", r.getOffsetDateTime(8).toInstant().toString()));
          }
          return list;
        });
  }

  /** The room's space and session, for the HTTP routes' role checks; null for an unknown room. */
  Future<JsonObject> roomInfo(long roomId) {
    return pool.preparedQuery("SELECT r.space_id, (SELECT s.id FROM sessions s WHERE s.room_id = r.id) FROM rooms r WHERE r.id = $1")
        .execute(Tuple.of(roomId))
        .map(rows -> rows.size() == 0 ? null
            : new JsonObject().put("spaceId", rows.iterator().next().getLong(0)).put("sessionId", rows.iterator().next().getLong(1)));
  }

  /** The messages marked as results of a session, in room order, with the session's title and times. */
  Future<JsonObject> results(long sessionId) {
    return pool.preparedQuery("""
            SELECT s.title, s.starts_at, s.ends_at, s.room_id, sp.name,
              (SELECT coalesce(json_agg(json_build_object('seq', m.seq, 'author', m.author_name, 'text', m.body, 'createdAt', m.created_at)
                      ORDER BY m.seq), '[]'::json)
                 FROM messages m WHERE m.room_id = s.room_id AND m.result AND m.deleted_at IS NULL)
            FROM sessions s JOIN spaces sp ON sp.id = s.space_id WHERE s.id = $1""")
        .execute(Tuple.of(sessionId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("sessionId", sessionId).put("title", r.getString(0))
              .put("startsAt", r.getOffsetDateTime(1).toInstant().toString()).put("endsAt", r.getOffsetDateTime(2).toInstant().toString())
              .put("roomId", r.getLong(3)).put("spaceName", r.getString(4)).put("results", (JsonArray) r.getValue(5));
        });
  }
}

package de.werkraum.room;

import de.werkraum.account.Tokens;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** SQL for online sessions (workshops), their moderators, guest links and guests. */
final class SessionStore {

  /** The fields a create or update writes. */
  record SessionDraft(String title, String description, JsonArray agenda, OffsetDateTime startsAt, OffsetDateTime endsAt,
      String guestPolicy, long[] moderators) {}

  private static final String COLUMNS = """
      s.id, s.space_id, s.room_id, s.title, s.description, s.agenda, s.starts_at, s.ends_at, s.guest_policy, s.version,
      s.guest_link_hash IS NOT NULL,
      (SELECT coalesce(json_agg(json_build_object('id', u.id, 'displayName', u.display_name) ORDER BY lower(u.display_name)), '[]'::json)
         FROM session_moderators sm JOIN users u ON u.id = sm.user_id WHERE sm.session_id = s.id),
      sp.name""";

  private final Pool pool;

  SessionStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  Future<JsonObject> session(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM sessions s JOIN spaces sp ON sp.id = s.space_id WHERE s.id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : session(rows.iterator().next()));
  }

  /** Upcoming (not yet ended, soonest first) or past (latest first) sessions of a space. */
  Future<List<JsonObject>> ofSpace(long spaceId, boolean past, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM sessions s JOIN spaces sp ON sp.id = s.space_id WHERE s.space_id = $1 AND "
            + (past ? "s.ends_at <= now() ORDER BY s.starts_at DESC" : "s.ends_at > now() ORDER BY s.starts_at") + ", s.id LIMIT $2")
        .execute(Tuple.of(spaceId, limit))
        .map(rows -> {
          List<JsonObject> list = new ArrayList<>();
          rows.forEach(r -> list.add(session(r)));
          return list;
        });
  }

  private static JsonObject session(Row r) {
    OffsetDateTime ends = r.getOffsetDateTime(7);
    return new JsonObject().put("id", r.getLong(0)).put("spaceId", r.getLong(1)).put("roomId", r.getLong(2))
        .put("title", r.getString(3)).put("description", r.getString(4)).put("agenda", (JsonArray) r.getValue(5))
        .put("startsAt", r.getOffsetDateTime(6).toInstant().toString()).put("endsAt", ends.toInstant().toString())
        .put("guestPolicy", r.getString(8)).put("version", r.getInteger(9)).put("guestLinkActive", r.getBoolean(10))
        .put("moderators", (JsonArray) r.getValue(11)).put("spaceName", r.getString(12))
        .put("ended", ends.isBefore(OffsetDateTime.now()));
  }

  Future<Long> insert(SqlClient tx, long spaceId, long roomId, SessionDraft d, long createdBy) {
    return tx.preparedQuery("""
            INSERT INTO sessions (space_id, room_id, title, description, agenda, starts_at, ends_at, guest_policy, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id""")
        .execute(Tuple.from(new Object[] {spaceId, roomId, d.title(), d.description(), d.agenda(), d.startsAt(), d.endsAt(), d.guestPolicy(), createdBy}))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  Future<Void> update(SqlClient tx, long id, SessionDraft d, int version) {
    return tx.preparedQuery("""
            UPDATE sessions SET title = $3, description = $4, agenda = $5, starts_at = $6, ends_at = $7, guest_policy = $8,
                   guest_link_hash = CASE WHEN $8 = 'members' THEN NULL ELSE guest_link_hash END, version = version + 1
            WHERE id = $1 AND version = $2""")
        .execute(Tuple.from(new Object[] {id, version, d.title(), d.description(), d.agenda(), d.startsAt(), d.endsAt(), d.guestPolicy()}))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(ApiError.staleVersion()));
  }

  /** Replaces the moderators; every id must be a member of the session's space. */
  Future<Void> setModerators(SqlClient tx, long sessionId, long[] userIds) {
    Long[] ids = java.util.Arrays.stream(userIds).boxed().toArray(Long[]::new);
    return tx.preparedQuery("DELETE FROM session_moderators WHERE session_id = $1").execute(Tuple.of(sessionId))
        .compose(v -> tx.preparedQuery("""
                INSERT INTO session_moderators (session_id, user_id)
                SELECT $1, sm.user_id FROM space_members sm JOIN sessions s ON s.space_id = sm.space_id
                WHERE s.id = $1 AND sm.user_id = ANY ($2::bigint[])""")
            .execute(Tuple.of(sessionId, (Object) ids)))
        .compose(rows -> rows.rowCount() == java.util.Arrays.stream(userIds).distinct().count() ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiError.invalid("moderators", "may only name members of the space")));
  }

  Future<Boolean> isModerator(long sessionId, long userId) {
    return pool.preparedQuery("SELECT 1 FROM session_moderators WHERE session_id = $1 AND user_id = $2")
        .execute(Tuple.of(sessionId, userId)).map(rows -> rows.size() > 0);
  }

  Future<Void> setGuestLink(long sessionId, byte[] digest) {
    return pool.preparedQuery("UPDATE sessions SET guest_link_hash = $2 WHERE id = $1")
        .execute(Tuple.of(sessionId, digest == null ? null : Buffer.buffer(digest))).mapEmpty();
  }

  /** The session a guest link leads to, or null for an unknown or withdrawn link. */
  Future<JsonObject> byGuestLink(String token) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM sessions s JOIN spaces sp ON sp.id = s.space_id WHERE s.guest_link_hash = $1 AND s.guest_policy <> 'members'")
        .execute(Tuple.of(Buffer.buffer(Tokens.digest(token))))
        .map(rows -> rows.size() == 0 ? null : session(rows.iterator().next()));
  }

  Future<Long> insertGuest(long sessionId, String name, String token, String status) {
    return pool.preparedQuery("INSERT INTO guests (session_id, display_name, token_hash, status) VALUES ($1, $2, $3, $4) RETURNING id")
        .execute(Tuple.of(sessionId, name, Buffer.buffer(Tokens.digest(token)), status))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** A guest by their token, with their session's room and end; null when unknown. */
  Future<JsonObject> guest(String token) {
    return pool.preparedQuery("""
            SELECT g.id, g.display_name, g.status, s.id, s.room_id, s.title, s.ends_at FROM guests g JOIN sessions s ON s.id = g.session_id
            WHERE g.token_hash = $1""")
        .execute(Tuple.of(Buffer.buffer(Tokens.digest(token))))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("id", r.getLong(0)).put("displayName", r.getString(1)).put("status", r.getString(2))
              .put("sessionId", r.getLong(3)).put("roomId", r.getLong(4)).put("sessionTitle", r.getString(5))
              .put("endsAt", r.getOffsetDateTime(6).toInstant().toString())
              .put("ended", r.getOffsetDateTime(6).isBefore(OffsetDateTime.now()));
        });
  }
}

package de.werkraum.room;

import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** SQL for the standing rooms of a space: listing with unread counts, creation, settings, archive. */
final class RoomStore {

  private final Pool pool;

  RoomStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** The space's standing rooms the user may read, with their unread and mention counts for the user. */
  Future<List<JsonObject>> visibleRooms(long spaceId, long userId, boolean includeArchived) {
    return pool.preparedQuery("""
            SELECT r.id, r.name, r.restricted, r.archived_at, r.last_seq,
                   coalesce(rr.last_read_seq, 0),
                   (SELECT count(*) FROM messages m WHERE m.room_id = r.id AND m.seq > coalesce(rr.last_read_seq, 0)
                      AND m.deleted_at IS NULL AND m.author <> 'u' || $2),
                   (SELECT count(*) FROM messages m WHERE m.room_id = r.id AND m.seq > coalesce(rr.last_read_seq, 0)
                      AND m.deleted_at IS NULL AND $2 = ANY (m.mentions))
            FROM rooms r LEFT JOIN room_reads rr ON rr.room_id = r.id AND rr.user_id = $2
            WHERE r.space_id = $1 AND r.kind = 'standing' AND ($3 OR r.archived_at IS NULL)
              AND """ + RoomAccess.canRead("r", "$2", "NULL") + """
             ORDER BY r.archived_at IS NOT NULL, lower(r.name), r.id""")
        .execute(Tuple.of(spaceId, userId, includeArchived))
        .map(rows -> {
          List<JsonObject> list = new ArrayList<>();
          for (Row r : rows) {
            list.add(new JsonObject().put("id", r.getLong(0)).put("name", r.getString(1)).put("restricted", r.getBoolean(2))
                .put("archived", r.getValue(3) != null).put("lastSeq", r.getLong(4)).put("lastReadSeq", r.getLong(5))
                .put("unread", r.getLong(6)).put("mentions", r.getLong(7)));
          }
          return list;
        });
  }

  /** One room with its settings (the access list for restricted rooms) and the caller's read mark and unread count. */
  Future<JsonObject> room(long roomId, long userId) {
    return pool.preparedQuery("""
            SELECT r.id, r.space_id, r.name, r.kind, r.restricted, r.archived_at, r.version, r.last_seq,
                   (SELECT coalesce(json_agg(json_build_object('id', u.id, 'displayName', u.display_name) ORDER BY lower(u.display_name)), '[]'::json)
                      FROM room_access a JOIN users u ON u.id = a.user_id WHERE a.room_id = r.id),
                   (SELECT s.id FROM sessions s WHERE s.room_id = r.id),
                   coalesce((SELECT rr.last_read_seq FROM room_reads rr WHERE rr.room_id = r.id AND rr.user_id = $2), 0)
            FROM rooms r WHERE r.id = $1""")
        .execute(Tuple.of(roomId, userId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new JsonObject().put("id", r.getLong(0)).put("spaceId", r.getLong(1)).put("name", r.getString(2))
              .put("kind", r.getString(3)).put("restricted", r.getBoolean(4)).put("archived", r.getValue(5) != null)
              .put("version", r.getInteger(6)).put("lastSeq", r.getLong(7)).put("members", (JsonArray) r.getValue(8))
              .put("sessionId", r.getLong(9)).put("lastReadSeq", r.getLong(10));
        });
  }

  Future<Long> insert(SqlClient client, long spaceId, String name, String kind, boolean restricted) {
    return client.preparedQuery("INSERT INTO rooms (space_id, name, kind, restricted) VALUES ($1, $2, $3, $4) RETURNING id")
        .execute(Tuple.of(spaceId, name, kind, restricted))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Replaces the access list; every id must be a member of the room's space. */
  Future<Void> setAccess(SqlClient client, long roomId, long[] userIds) {
    Long[] ids = new Long[userIds.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = userIds[i];
    }
    return client.preparedQuery("DELETE FROM room_access WHERE room_id = $1").execute(Tuple.of(roomId))
        .compose(v -> client.preparedQuery("""
                INSERT INTO room_access (room_id, user_id)
                SELECT $1, sm.user_id FROM space_members sm JOIN rooms r ON r.space_id = sm.space_id
                WHERE r.id = $1 AND sm.user_id = ANY ($2::bigint[])""")
            .execute(Tuple.of(roomId, (Object) ids)))
        .compose(rows -> rows.rowCount() == distinct(userIds) ? Future.<Void>succeededFuture()
            : Future.failedFuture(ApiError.invalid("members", "may only name members of the space")));
  }

  Future<Void> update(SqlClient client, long roomId, String name, boolean restricted, int version) {
    return client.preparedQuery("UPDATE rooms SET name = $3, restricted = $4, version = version + 1 WHERE id = $1 AND version = $2")
        .execute(Tuple.of(roomId, version, name, restricted))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(ApiError.staleVersion()));
  }

  Future<Void> setArchived(long roomId, boolean archived) {
    return pool.preparedQuery("UPDATE rooms SET archived_at = CASE WHEN $2 THEN coalesce(archived_at, now()) ELSE NULL END, version = version + 1 WHERE id = $1")
        .execute(Tuple.of(roomId, archived))
        .mapEmpty();
  }

  private static long distinct(long[] ids) {
    return java.util.Arrays.stream(ids).distinct().count();
  }

  static boolean isForeignKeyViolation(Throwable e) {
    return e instanceof PgException pg && "23503".equals(pg.getSqlState());
  }
}

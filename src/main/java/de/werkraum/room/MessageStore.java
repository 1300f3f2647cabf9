package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SQL for room messages and events. Every statement carries the access condition, so the right to read
 * or write is checked against the database on every request. Sequence numbers are taken from
 * {@code rooms.last_seq} in the same statement or transaction that stores the event: gap-free per room.
 */
final class MessageStore {

  /** What a participant sees of a room when entering it. */
  record RoomView(long id, long spaceId, String name, String kind, long lastSeq, boolean open, String role) {}

  /** A stored post: the message and whether it was stored before (a resend of the same key). */
  record Posted(JsonObject message, boolean duplicate) {}

  private static final String MESSAGE_COLUMNS = """
      m.seq, m.author, m.user_id, m.guest_id, m.author_name, m.body, m.reply_to, m.mentions, m.created_at, m.edited_at, m.deleted_at,
      (SELECT coalesce(json_object_agg(x.emoji, x.authors), '{}'::json) FROM
          (SELECT emoji, json_agg(author ORDER BY author) AS authors FROM reactions rx
            WHERE rx.room_id = m.room_id AND rx.message_seq = m.seq GROUP BY emoji) x),
      (SELECT count(*) FROM messages rp WHERE rp.room_id = m.room_id AND rp.reply_to = m.seq AND rp.deleted_at IS NULL),
      m.client_key, m.removed_by_name, m.result, m.written_at""";

  private final Pool pool;

  MessageStore(Pool pool) {
    this.pool = pool;
  }

  /** The room as the participant may see it; fails not_found for unknown rooms, forbidden without the right. */
  Future<RoomView> view(Participant p, long roomId) {
    return pool.preparedQuery("""
            SELECT r.id, r.space_id, r.name, r.kind, r.last_seq, """ + RoomAccess.isOpen("r") + ", " + RoomAccess.canRead("r", "$2", "$3")
            + ", " + RoomAccess.role("r", "$2", "$3") + """
            , EXISTS (SELECT 1 FROM room_bans b WHERE b.room_id = r.id AND b.participant = $4)
            FROM rooms r WHERE r.id = $1""")
        .execute(Tuple.of(roomId, p.userId(), p.guestId(), p.key()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new ApiError(404, "unknown_room", "There is no room " + roomId));
          }
          Row r = rows.iterator().next();
          if (!r.getBoolean(6)) {
            return Future.failedFuture(r.getBoolean(8)
                ? new ApiError(403, "banned", "A moderator banned you from this room")
                : new ApiError(403, "forbidden", "You may not enter this room"));
          }
          return Future.succeededFuture(new RoomView(r.getLong(0), r.getLong(1), r.getString(2), r.getString(3), r.getLong(4),
              r.getBoolean(5), r.getString(7)));
        });
  }

  /** Where a room's channel starts: the last seq, whether the participant list is hidden, the room's space (null: no such room). */
  record ChannelStart(long lastSeq, boolean hideParticipants, Long spaceId) {}

  Future<ChannelStart> channelStart(long roomId) {
    return pool.preparedQuery("SELECT last_seq, hide_participants, space_id FROM rooms WHERE id = $1").execute(Tuple.of(roomId))
        .map(rows -> rows.size() == 0 ? new ChannelStart(0, false, null)
            : new ChannelStart(rows.iterator().next().getLong(0), rows.iterator().next().getBoolean(1), rows.iterator().next().getLong(2)));
  }

  /**
   * Of these participants, those who may read the room now, each with their role in it (key → role); the
   * others are not in the map. One query for all, with the same access condition as every read.
   */
  Future<Map<String, String>> readers(long roomId, List<Participant> participants) {
    String[] keys = participants.stream().map(Participant::key).toArray(String[]::new);
    // 0 stands for "none" in the arrays; the condition wants NULL there.
    Long[] users = participants.stream().map(p -> p.userId() == null ? 0L : p.userId()).toArray(Long[]::new);
    Long[] guests = participants.stream().map(p -> p.guestId() == null ? 0L : p.guestId()).toArray(Long[]::new);
    return pool.preparedQuery("SELECT p.key, " + RoomAccess.role("r", "p.u", "p.g") + """
             FROM rooms r, (SELECT x.key, nullif(x.u, 0) AS u, nullif(x.g, 0) AS g
                             FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS x (key, u, g)) p
            WHERE r.id = $1 AND """ + RoomAccess.canRead("r", "p.u", "p.g"))
        .execute(Tuple.of(roomId, keys, users, guests))
        .map(rows -> {
          Map<String, String> readers = new HashMap<>();
          rows.forEach(r -> readers.put(r.getString(0), r.getString(1)));
          return readers;
        });
  }

  Future<Long> lastSeq(long roomId) {
    return pool.preparedQuery("SELECT last_seq FROM rooms WHERE id = $1").execute(Tuple.of(roomId))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /**
   * The start of both post statements' condition on room {@code r}: room $1, open, readable by the poster
   * ($4 user / $5 guest), and the message replied to ($8, if any) there and not deleted.
   */
  // In parentheses: a text block drops the space before its closing quotes, so "WHERE " + this reads "WHERE(".
  private static final String POSTABLE = "(r.id = $1 AND " + RoomAccess.isOpen("r") + " AND " + RoomAccess.canRead("r", "$4", "$5")
      + " AND ($8::bigint IS NULL OR EXISTS (SELECT 1 FROM messages pm WHERE pm.room_id = r.id AND pm.seq = $8 AND pm.deleted_at IS NULL)))";

  /** The end of both post statements: the message under the seq that {@code bump} took. */
  private static final String INSERT_MESSAGE = """
      INSERT INTO messages (room_id, seq, author, user_id, guest_id, author_name, client_key, body, reply_to, mentions, written_at)
      SELECT bump.id, bump.last_seq, $2, $4, $5, $6, $3, $7, $8,
             -- Index lookups per mentioned id: never a scan of the whole space's members.
             ARRAY(SELECT DISTINCT m FROM unnest($9::bigint[]) m
                   WHERE EXISTS (SELECT 1 FROM space_members sm WHERE sm.space_id = bump.space_id AND sm.user_id = m)),
             -- A client clock ahead of the server's says "written now": never after the message was stored.
             CASE WHEN $10::timestamptz > now() THEN now() ELSE $10::timestamptz END
      FROM bump
      RETURNING seq, created_at, mentions, written_at""";

  /** The post of {@link #post} when no moderation restriction applies to the poster (see there). */
  private static final String POST_UNRESTRICTED = """
      WITH target AS (
          SELECT r.id FROM rooms r WHERE """ + POSTABLE + """
            AND NOT r.locked AND NOT r.floor_only AND r.slow_mode_seconds = 0
            AND NOT EXISTS (SELECT 1 FROM room_mutes gm WHERE gm.room_id = r.id AND gm.participant = $2 AND (gm.until IS NULL OR gm.until > now()))),
      bump AS (UPDATE rooms SET last_seq = last_seq + 1 WHERE id = (SELECT id FROM target) RETURNING id, last_seq, space_id)
      """ + INSERT_MESSAGE;

  /** The post of {@link #post} with the moderation rules: moderators exempt, slow mode enforced. */
  private static final String POST_MODERATED = """
            WITH target AS (
                SELECT r.id, r.slow_mode_seconds AS slow,
                  -- Whether the poster moderates matters only in slow mode (moderators are exempt).
                  r.slow_mode_seconds > 0 AND """ + RoomAccess.canModerate("r", "$4") + """
                  AS moderator FROM rooms r WHERE """ + POSTABLE + """
                  AND """ + RoomAccess.gate("r", "$2", "$4", RoomAccess.Write.POST) + """
                   IS NULL),
            -- Slow mode: the upsert locks the participant's mark, so two posts at once cannot both pass.
            mark AS (
                INSERT INTO room_post_marks (room_id, participant, last_post_at)
                SELECT id, $2, now() FROM target WHERE slow > 0 AND NOT moderator
                ON CONFLICT (room_id, participant) DO UPDATE SET last_post_at = EXCLUDED.last_post_at
                WHERE room_post_marks.last_post_at <= now() - make_interval(secs => (SELECT slow FROM target))
                RETURNING room_id),
            bump AS (UPDATE rooms SET last_seq = last_seq + 1
                     WHERE id = (SELECT id FROM target WHERE slow = 0 OR moderator OR EXISTS (SELECT 1 FROM mark))
                     RETURNING id, last_seq, space_id)
            """ + INSERT_MESSAGE;

  /**
   * Stores a post, or finds the one stored before under the same key. One statement: seq and message
   * commit together. Most posts meet no moderation restriction, so a lean statement goes first, guarded
   * by "nothing restricts this poster here" (not locked, no floor-only phase, no slow mode, not muted);
   * when that guard — or anything else — stops it, the full statement (moderators exempt, slow mode
   * enforced) runs and, if it stores nothing either, says why. Both decide from the database alone.
   */
  Future<Posted> post(Participant p, long roomId, String clientKey, String text, Long replyTo, long[] mentions, OffsetDateTime writtenAt) {
    Long[] boxed = new Long[mentions.length];
    for (int i = 0; i < mentions.length; i++) {
      boxed[i] = mentions[i];
    }
    Tuple args = Tuple.from(new Object[] {roomId, p.key(), clientKey, p.userId(), p.guestId(), p.name(), text, replyTo, boxed, writtenAt});
    return pool.preparedQuery(POST_UNRESTRICTED).execute(args)
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(rows) : pool.preparedQuery(POST_MODERATED).execute(args))
        .compose(rows -> {
          if (rows.size() == 0) {
            // A resend of a post stored earlier is answered with it, whatever the room's state is now.
            return earlierOr(p, roomId, clientKey, () -> refusal(p, roomId, replyTo, RoomAccess.Write.POST));
          }
          // A new message: everything but seq, time and the kept mentions is what was sent; no second query.
          Row r = rows.iterator().next();
          JsonArray kept = new JsonArray();
          for (Long id : r.getArrayOfLongs(2)) {
            kept.add(id);
          }
          JsonObject author = new JsonObject().put("key", p.key()).put("name", p.name()).put("guest", p.isGuest());
          if (p.userId() != null) {
            author.put("userId", p.userId());
          }
          JsonObject message = new JsonObject().put("seq", r.getLong(0)).put("author", author).put("text", text)
              .put("replyTo", replyTo).put("mentions", kept).put("createdAt", r.getOffsetDateTime(1).toInstant().toString())
              .put("editedAt", null).put("deleted", false).put("reactions", new JsonObject()).put("replyCount", 0L)
              .put("key", clientKey).put("removed", false).put("result", false).put("writtenAt", instant(r.getOffsetDateTime(3)));
          return Future.succeededFuture(new Posted(message, false));
        })
        .recover(e -> isUniqueViolation(e)
            ? earlierOr(p, roomId, clientKey, () -> Future.failedFuture(e))
            : Future.failedFuture(e));
  }

  /**
   * Why a write changed nothing: the room, the right (or a ban), the room's state, its moderation state
   * (mute, lock, floor, slow mode), or the message replied to.
   */
  private <T> Future<T> refusal(Participant p, long roomId, Long replyTo, RoomAccess.Write write) {
    return view(p, roomId).compose(room -> {
      if (!room.open()) {
        return Future.failedFuture(new ApiError(409, "room_closed", "This room is archived or its session has ended; it is read-only"));
      }
      if (write == null) {
        return Future.failedFuture(new ApiError(403, "forbidden", "You may not write in this room"));
      }
      return pool.preparedQuery("SELECT " + RoomAccess.gate("r", "$2", "$3", write) + """
              , mu.until, mu.reason,
                CASE WHEN r.slow_mode_seconds > 0 AND NOT """ + RoomAccess.canModerate("r", "$3") + """
                  THEN ceil(extract(epoch FROM pm.last_post_at + make_interval(secs => r.slow_mode_seconds) - now()))::int END,
                r.slow_mode_seconds
              FROM rooms r
              LEFT JOIN room_mutes mu ON mu.room_id = r.id AND mu.participant = $2 AND (mu.until IS NULL OR mu.until > now())
              LEFT JOIN room_post_marks pm ON pm.room_id = r.id AND pm.participant = $2
              WHERE r.id = $1""")
          .execute(Tuple.of(roomId, p.key(), p.userId()))
          .compose(rows -> {
            Row r = rows.iterator().next();
            String gate = r.getString(0);
            if ("muted".equals(gate)) {
              JsonObject details = new JsonObject()
                  .put("until", r.getOffsetDateTime(1) == null ? null : r.getOffsetDateTime(1).toInstant().toString())
                  .put("reason", r.getString(2));
              return Future.failedFuture(new ApiError(403, "muted", r.getOffsetDateTime(1) == null
                  ? "A moderator muted you in this room until further notice"
                  : "A moderator muted you in this room until " + r.getOffsetDateTime(1).toInstant()).withDetails(details));
            }
            if ("room_locked".equals(gate)) {
              return Future.failedFuture(new ApiError(403, "room_locked", "A moderator locked this room: only moderators may write"));
            }
            if ("floor_only".equals(gate)) {
              return Future.failedFuture(new ApiError(403, "floor_only", "Only moderators and the person who has the floor may post now"));
            }
            if (write == RoomAccess.Write.POST && replyTo != null) {
              return message(roomId, replyTo).compose(m -> m == null || m.getBoolean("deleted")
                  ? Future.failedFuture(new ApiError(404, "unknown_message", "There is no message " + replyTo + " to reply to"))
                  : slowMode(r));
            }
            return write == RoomAccess.Write.POST ? slowMode(r)
                : Future.failedFuture(new ApiError(403, "forbidden", "You may not write in this room"));
          });
    });
  }

  private static <T> Future<T> slowMode(Row r) {
    Integer wait = r.getInteger(3);
    int seconds = wait == null ? 1 : Math.max(1, wait);
    return Future.failedFuture(new ApiError(429, "slow_mode", "Slow mode: at most one post every " + r.getInteger(4)
        + " seconds; try again in " + seconds + " s").withDetails(new JsonObject().put("retryAfter", seconds).put("seconds", r.getInteger(4))));
  }

  Future<JsonObject> message(long roomId, long seq) {
    return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.room_id = $1 AND m.seq = $2")
        .execute(Tuple.of(roomId, seq))
        .map(rows -> rows.size() == 0 ? null : message(rows.iterator().next()));
  }

  /** A resend: the participant's post stored earlier under {@code clientKey}, as a duplicate; if there is none, {@code otherwise}. */
  Future<Posted> earlierOr(Participant p, long roomId, String clientKey, Supplier<Future<Posted>> otherwise) {
    return byKeyOrNull(roomId, p.key(), clientKey)
        .compose(earlier -> earlier != null ? Future.succeededFuture(new Posted(earlier, true)) : otherwise.get());
  }

  private Future<JsonObject> byKeyOrNull(long roomId, String author, String clientKey) {
    return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.room_id = $1 AND m.author = $2 AND m.client_key = $3")
        .execute(Tuple.of(roomId, author, clientKey))
        .map(rows -> rows.size() == 0 ? null : message(rows.iterator().next()));
  }

  /** Events after {@code since}, in order, as the event frames a live client would have received (current message state). */
  Future<List<JsonObject>> eventsSince(long roomId, long since, int limit) {
    return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS + ", NULL::jsonb FROM messages m WHERE m.room_id = $1 AND m.seq > $2"
            + " UNION ALL SELECT e.seq, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, e.payload"
            + " FROM room_events e WHERE e.room_id = $1 AND e.seq > $2 ORDER BY 1 LIMIT $3")
        .execute(Tuple.of(roomId, since, limit))
        .map(rows -> {
          List<JsonObject> events = new ArrayList<>();
          for (Row r : rows) {
            Object payload = r.getValue(17);
            if (payload != null) {
              events.add(Events.stored(roomId, r.getLong(0), (JsonObject) payload));
            } else {
              // Who removed a message is for its author and the moderators (history), not for every replay.
              JsonObject m = message(r);
              m.remove("removedBy");
              events.add(Events.message(roomId, m));
            }
          }
          return events;
        });
  }

  /** A page of messages before {@code before} (exclusive), oldest first. */
  Future<List<JsonObject>> history(long roomId, long before, int limit) {
    return pool.preparedQuery("SELECT * FROM (SELECT " + MESSAGE_COLUMNS
            + " FROM messages m WHERE m.room_id = $1 AND m.seq < $2 ORDER BY m.seq DESC LIMIT $3) page ORDER BY seq")
        .execute(Tuple.of(roomId, before, limit))
        .map(MessageStore::messages);
  }

  /** A message and all replies to it, oldest first. */
  Future<List<JsonObject>> thread(long roomId, long seq) {
    return pool.preparedQuery("SELECT " + MESSAGE_COLUMNS
            + " FROM messages m WHERE m.room_id = $1 AND (m.seq = $2 OR m.reply_to = $2) ORDER BY m.seq LIMIT 1001")
        .execute(Tuple.of(roomId, seq))
        .map(MessageStore::messages);
  }

  /** The earlier texts of a message, oldest first. */
  Future<JsonArray> editHistory(long roomId, long seq) {
    return pool.preparedQuery("SELECT body, replaced_at FROM message_edits WHERE room_id = $1 AND message_seq = $2 ORDER BY replaced_at")
        .execute(Tuple.of(roomId, seq))
        .map(rows -> {
          JsonArray list = new JsonArray();
          rows.forEach(r -> list.add(new JsonObject().put("text", r.getString(0)).put("replacedAt", r.getOffsetDateTime(1).toInstant().toString())));
          return list;
        });
  }

  /**
   * Runs a change to an existing message of an open room in one transaction: locks the room row, takes
   * the next seq, and stores the event payload the change returns.
   */
  Future<JsonObject> change(Participant p, long roomId, long messageSeq, RoomAccess.Write write, MessageChange change) {
    String gate = write == null ? "" : " AND " + RoomAccess.gate("r", "$5", "$3", write) + " IS NULL";
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT m.author, m.deleted_at IS NOT NULL FROM rooms r JOIN messages m ON m.room_id = r.id"
                + " WHERE r.id = $1 AND m.seq = $2 AND " + RoomAccess.isOpen("r") + " AND " + RoomAccess.canRead("r", "$3", "$4") + gate
                + " FOR UPDATE OF r")
            .execute(write == null ? Tuple.of(roomId, messageSeq, p.userId(), p.guestId())
                : Tuple.of(roomId, messageSeq, p.userId(), p.guestId(), p.key()))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(new NotChanged());
              }
              Row r = rows.iterator().next();
              return change.apply(tx, r.getString(0), r.getBoolean(1));
            })
            .compose(payload -> tx.preparedQuery("UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq")
                .execute(Tuple.of(roomId))
                .compose(rows -> {
                  long seq = rows.iterator().next().getLong(0);
                  return tx.preparedQuery("INSERT INTO room_events (room_id, seq, payload) VALUES ($1, $2, $3)")
                      .execute(Tuple.of(roomId, seq, payload))
                      .map(v -> Events.stored(roomId, seq, payload));
                })))
        .recover(e -> e instanceof NotChanged
            ? message(roomId, messageSeq).compose(m -> m == null
                ? Future.failedFuture(new ApiError(404, "unknown_message", "There is no message " + messageSeq + " in this room"))
                : refusal(p, roomId, null, write))
            : Future.failedFuture(e));
  }

  /** One kind of change to a message, run inside {@link #change}; answers the event payload. */
  interface MessageChange {
    Future<JsonObject> apply(SqlConnection tx, String author, boolean deleted);
  }

  private static final class NotChanged extends RuntimeException {
    NotChanged() {
      super(null, null, false, false);
    }
  }

  Future<Void> markRead(long userId, long roomId, long seq) {
    return pool.preparedQuery("""
            INSERT INTO room_reads (room_id, user_id, last_read_seq) VALUES ($1, $2, $3)
            ON CONFLICT (room_id, user_id) DO UPDATE SET last_read_seq = greatest(room_reads.last_read_seq, EXCLUDED.last_read_seq)""")
        .execute(Tuple.of(roomId, userId, seq))
        .mapEmpty();
  }

  static List<JsonObject> messages(RowSet<Row> rows) {
    List<JsonObject> list = new ArrayList<>();
    rows.forEach(r -> list.add(message(r)));
    return list;
  }

  static JsonObject message(Row r) {
    boolean deleted = r.getValue(10) != null;
    JsonObject author = new JsonObject().put("key", r.getString(1)).put("name", r.getString(4))
        .put("guest", r.getLong(3) != null);
    if (r.getLong(2) != null) {
      author.put("userId", r.getLong(2));
    }
    JsonArray mentions = new JsonArray();
    for (Long id : r.getArrayOfLongs(7)) {
      mentions.add(id);
    }
    Object reactions = r.getValue(11);
    return new JsonObject()
        .put("seq", r.getLong(0))
        .put("author", author)
        .put("text", deleted ? null : r.getString(5))
        .put("replyTo", r.getLong(6))
        .put("mentions", mentions)
        .put("createdAt", r.getOffsetDateTime(8).toInstant().toString())
        .put("editedAt", r.getOffsetDateTime(9) == null ? null : r.getOffsetDateTime(9).toInstant().toString())
        .put("deleted", deleted)
        .put("reactions", deleted || reactions == null ? new JsonObject() : (JsonObject) reactions)
        .put("replyCount", r.getLong(12))
        .put("key", r.getString(13))
        .put("removed", r.getString(14) != null)
        .put("removedBy", r.getString(14))
        .put("result", r.getBoolean(15))
        .put("writtenAt", instant(r.getOffsetDateTime(16)));
  }

  private static String instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant().toString();
  }

  static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}

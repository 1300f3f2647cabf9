package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import de.werkraum.web.Field;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rules of messaging: what may be posted, edited, deleted and reacted to, by whom. Every change is
 * committed first, then published on the room's event bus address, then acknowledged.
 */
public final class RoomService {

  public static final int MAX_TEXT = 4000;
  public static final int MAX_KEY = 64;
  public static final int MAX_MENTIONS = 50;
  public static final int HISTORY_PAGE_MAX = 100;
  /** A resume further back than this is refused; the client reloads with history instead. */
  public static final int MAX_RESUME_EVENTS = 5000;
  /** A post's {@code writtenAt} may lie at most this far back (a message kept offline for longer is sent without it). */
  public static final Duration MAX_WRITTEN_AGE = Duration.ofDays(7);
  private static final int MAX_WRITTEN_AT_LENGTH = 64;
  public static final Set<String> REACTIONS = Set.of("👍", "❤️", "😀", "🎉", "🤔", "👏");

  private final Vertx vertx;
  final MessageStore store;

  public RoomService(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.store = new MessageStore(pool);
  }

  Future<MessageStore.RoomView> view(Participant p, long roomId) {
    return store.view(p, roomId);
  }

  /**
   * Stores a post. {@code writtenAt} (may be null) is when the author's client says it was written; a time
   * ahead of the server's is stored as the server's. One further back than {@link #MAX_WRITTEN_AGE} is
   * refused, unless the post is a resend of one stored earlier: that is answered with the original.
   */
  Future<MessageStore.Posted> post(Participant p, long roomId, String key, String text, Long replyTo, long[] mentions,
      OffsetDateTime writtenAt) {
    checkText(text);
    if (writtenAt != null && writtenAt.toInstant().isBefore(Instant.now().minus(MAX_WRITTEN_AGE))) {
      return store.earlierOr(p, roomId, key,
          () -> Future.failedFuture(ApiError.invalid("writtenAt", "lies more than " + MAX_WRITTEN_AGE.toDays() + " days back")));
    }
    // The database stores a time ahead of its clock as its clock; a date far ahead would not even travel there.
    OffsetDateTime notFarAhead = writtenAt == null ? null
        : writtenAt.toInstant().isAfter(Instant.now().plus(Duration.ofDays(1))) ? OffsetDateTime.now().plusDays(1) : writtenAt;
    return store.post(p, roomId, key, text, replyTo, mentions, notFarAhead).onSuccess(posted -> {
      if (!posted.duplicate()) {
        publish(roomId, Events.message(roomId, posted.message()));
      }
    });
  }

  /**
   * A post's optional {@code writtenAt}: absent or null is null; otherwise an ISO-8601 date and time with
   * its offset ({@code 2026-11-26T10:15:00.123Z}, {@code 2026-11-26T11:15:00+01:00}), else invalid_field.
   */
  static OffsetDateTime writtenAt(Object value) {
    if (value == null) {
      return null;
    }
    String text = Field.text("writtenAt", value);
    if (text.length() > MAX_WRITTEN_AT_LENGTH) {
      throw ApiError.invalid("writtenAt", "must be an ISO-8601 date and time with offset, e.g. 2026-11-26T10:15:00.123Z");
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiError.invalid("writtenAt", "must be an ISO-8601 date and time with offset, e.g. 2026-11-26T10:15:00.123Z");
    }
  }

  /** A resend of the participant's post stored earlier under {@code key}, as a duplicate; if there is none, {@code otherwise}. */
  Future<MessageStore.Posted> earlierOr(Participant p, long roomId, String key, Supplier<Future<MessageStore.Posted>> otherwise) {
    return store.earlierOr(p, roomId, key, otherwise);
  }

  Future<JsonObject> edit(Participant p, long roomId, long seq, String text, long[] mentions) {
    checkText(text);
    Long[] mentionIds = java.util.Arrays.stream(mentions).boxed().toArray(Long[]::new);
    return changed(roomId, store.change(p, roomId, seq, RoomAccess.Write.EDIT, (tx, author, deleted) -> {
      ownMessage(p, author, deleted);
      return tx.preparedQuery("INSERT INTO message_edits (room_id, message_seq, body) SELECT room_id, seq, body FROM messages WHERE room_id = $1 AND seq = $2")
          .execute(Tuple.of(roomId, seq))
          .compose(v -> tx.preparedQuery("""
                  UPDATE messages m SET body = $3, edited_at = now(),
                    mentions = ARRAY(SELECT DISTINCT x FROM unnest($4::bigint[]) x WHERE EXISTS (
                                     SELECT 1 FROM space_members sm JOIN rooms r ON r.space_id = sm.space_id WHERE r.id = m.room_id AND sm.user_id = x))
                  WHERE room_id = $1 AND seq = $2 RETURNING edited_at, mentions""")
              .execute(Tuple.of(roomId, seq, text, mentionIds)))
          .map(rows -> {
            var row = rows.iterator().next();
            JsonArray stored = new JsonArray();
            for (Long id : row.getArrayOfLongs(1)) {
              stored.add(id);
            }
            return new JsonObject().put("kind", Events.EDITED).put("message", new JsonObject()
                .put("seq", seq).put("text", text).put("mentions", stored)
                .put("editedAt", row.getOffsetDateTime(0).toInstant().toString()));
          });
    }));
  }

  Future<JsonObject> delete(Participant p, long roomId, long seq) {
    return changed(roomId, store.change(p, roomId, seq, null, (tx, author, deleted) -> {
      ownMessage(p, author, deleted);
      return tx.preparedQuery("UPDATE messages SET deleted_at = now() WHERE room_id = $1 AND seq = $2")
          .execute(Tuple.of(roomId, seq))
          .compose(v -> tx.preparedQuery("DELETE FROM reactions WHERE room_id = $1 AND message_seq = $2").execute(Tuple.of(roomId, seq)))
          .map(v -> new JsonObject().put("kind", Events.DELETED).put("message", new JsonObject().put("seq", seq)));
    }));
  }

  /** Toggles one reaction of the participant; the event carries who reacted with that emoji afterwards. */
  Future<JsonObject> react(Participant p, long roomId, long seq, String emoji) {
    if (!REACTIONS.contains(emoji)) {
      return Future.failedFuture(ApiError.invalid("emoji", "must be one of " + REACTIONS));
    }
    return changed(roomId, store.change(p, roomId, seq, RoomAccess.Write.REACT, (tx, author, deleted) -> {
      if (deleted) {
        throw new ApiError(409, "message_deleted", "This message has been deleted");
      }
      Tuple key = Tuple.of(roomId, seq, emoji, p.key());
      return tx.preparedQuery("DELETE FROM reactions WHERE room_id = $1 AND message_seq = $2 AND emoji = $3 AND author = $4")
          .execute(key)
          .compose(del -> del.rowCount() == 1 ? Future.succeededFuture(false)
              : tx.preparedQuery("INSERT INTO reactions (room_id, message_seq, emoji, author) VALUES ($1, $2, $3, $4)").execute(key).map(v -> true))
          .compose(added -> tx.preparedQuery("SELECT author FROM reactions WHERE room_id = $1 AND message_seq = $2 AND emoji = $3 ORDER BY author")
              .execute(Tuple.of(roomId, seq, emoji))
              .map(rows -> {
                JsonArray authors = new JsonArray();
                rows.forEach(r -> authors.add(r.getString(0)));
                return new JsonObject().put("kind", Events.REACTION).put("message", seq).put("emoji", emoji)
                    .put("authors", authors).put("by", p.key()).put("added", added);
              }));
    }));
  }

  Future<List<JsonObject>> history(Participant p, long roomId, Long before, int limit) {
    return view(p, roomId).compose(room -> store.history(roomId, before == null ? room.lastSeq() + 1 : before, limit)
        .map(list -> forViewer(list, p, room.role())));
  }

  Future<JsonObject> thread(Participant p, long roomId, long seq) {
    return view(p, roomId).compose(room -> store.thread(roomId, seq).map(list -> forViewer(list, p, room.role()))).compose(list -> {
      if (list.isEmpty() || list.get(0).getLong("seq") != seq) {
        return Future.failedFuture(new ApiError(404, "unknown_message", "There is no message " + seq + " in this room"));
      }
      return Future.succeededFuture(new JsonObject().put("message", list.get(0))
          .put("replies", new JsonArray(list.subList(1, list.size()))));
    });
  }

  Future<JsonArray> editHistory(Participant p, long roomId, long seq) {
    return view(p, roomId).compose(room -> store.editHistory(roomId, seq));
  }

  Future<Void> markRead(Participant p, long roomId, long seq) {
    if (p.isGuest()) {
      return view(p, roomId).mapEmpty();
    }
    return view(p, roomId).compose(room -> store.markRead(p.userId(), roomId, Math.min(seq, room.lastSeq())));
  }

  /** Who removed a message is shown to its author and the room's moderators; others see a tombstone. */
  private static List<JsonObject> forViewer(List<JsonObject> messages, Participant p, String role) {
    if (!RoomChannel.moderates(role)) {
      for (JsonObject m : messages) {
        if (!p.key().equals(m.getJsonObject("author").getString("key"))) {
          m.remove("removedBy");
        }
      }
    }
    return messages;
  }

  private void publish(long roomId, JsonObject frame) {
    vertx.eventBus().publish(Events.address(roomId), frame.encode(),
        new DeliveryOptions().addHeader("seq", Long.toString(frame.getLong("seq"))));
  }

  private Future<JsonObject> changed(long roomId, Future<JsonObject> change) {
    return change.onSuccess(frame -> publish(roomId, frame));
  }

  private static void ownMessage(Participant p, String author, boolean deleted) {
    if (!p.key().equals(author)) {
      throw new ApiError(403, "not_author", "Only the author may change this message");
    }
    if (deleted) {
      throw new ApiError(409, "message_deleted", "This message has been deleted");
    }
  }

  private static void checkText(String text) {
    if (text.isBlank()) {
      throw ApiError.missing("text");
    }
    if (text.length() > MAX_TEXT) {
      throw new ApiError(400, "text_too_long", "A message may have at most " + MAX_TEXT + " characters", "text");
    }
  }
}

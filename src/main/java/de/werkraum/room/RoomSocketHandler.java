package de.werkraum.room;

import de.werkraum.account.Participant;
import de.werkraum.web.ApiError;
import de.werkraum.web.WriteLimits;
import de.werkraum.web.WriteLimits.Kind;
import de.werkraum.web.socket.AccessChange;
import de.werkraum.web.socket.Connection;
import de.werkraum.web.socket.Request;
import de.werkraum.web.socket.SocketHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The room requests of the WebSocket protocol, for one gateway instance (see docs/protocol.md). */
public final class RoomSocketHandler implements SocketHandler {

  public static final int MAX_ROOMS_PER_CONNECTION = 50;

  private final Vertx vertx;
  private final RoomService rooms;
  private final WriteLimits limits;
  private final ModerationService moderation;
  private final String instanceId = UUID.randomUUID().toString();
  private final Map<Long, RoomChannel> channels = new HashMap<>();
  private final Map<Connection, Set<Long>> joined = new HashMap<>();
  /** Which join of a room on a connection is the current one: a newer join supersedes one still on its way. */
  private final Map<Connection, Map<Long, Long>> generations = new HashMap<>();
  private long nextGeneration;

  public RoomSocketHandler(Vertx vertx, RoomService rooms, WriteLimits limits, ModerationService moderation) {
    this.vertx = vertx;
    this.rooms = rooms;
    this.limits = limits;
    this.moderation = moderation;
  }

  @Override
  public Set<String> types() {
    return Set.of("join", "leave", "post", "edit", "delete", "react", "history", "thread", "edits", "typing", "read");
  }

  @Override
  public void handle(Connection c, Request r) {
    Participant p = c.participant();
    switch (r.type()) {
      case "join" -> join(c, r);
      case "leave" -> {
        leave(c, r.id("room"));
        c.ack(r, new JsonObject());
      }
      case "post" -> {
        long room = joinedRoom(c, r);
        String key = r.text("key");
        if (key.isEmpty() || key.length() > RoomService.MAX_KEY) {
          throw ApiError.invalid("key", "must have 1 to " + RoomService.MAX_KEY + " characters");
        }
        String text = r.text("text");
        Long replyTo = r.optionalId("replyTo");
        long[] mentions = r.ids("mentions", RoomService.MAX_MENTIONS);
        OffsetDateTime writtenAt = RoomService.writtenAt(r.body().getValue("writtenAt"));
        c.reply(r, limitedPost(p, room, key, text, replyTo, mentions, writtenAt)
            .map(posted -> new JsonObject().put("message", posted.message()).put("duplicate", posted.duplicate())));
      }
      case "edit" -> {
        long room = joinedRoom(c, r);
        long seq = r.id("message");
        String text = r.text("text");
        limits.check(Kind.EDIT, p.key(), room);
        c.reply(r, rooms.edit(p, room, seq, text, r.ids("mentions", RoomService.MAX_MENTIONS)).map(RoomSocketHandler::eventResult));
      }
      case "delete" -> {
        long room = joinedRoom(c, r);
        limits.check(Kind.DELETE, p.key(), room);
        c.reply(r, rooms.delete(p, room, r.id("message")).map(RoomSocketHandler::eventResult));
      }
      case "react" -> {
        long room = joinedRoom(c, r);
        long seq = r.id("message");
        limits.check(Kind.REACT, p.key(), room);
        c.reply(r, rooms.react(p, room, seq, r.text("emoji")).map(RoomSocketHandler::eventResult));
      }
      case "history" -> {
        long room = r.id("room");
        Long before = r.optionalId("before");
        Long limit = r.optionalId("limit");
        int n = limit == null ? 50 : (int) Math.min(Math.max(limit, 1), RoomService.HISTORY_PAGE_MAX);
        c.reply(r, rooms.history(p, room, before, n + 1).map(list -> {
          boolean more = list.size() > n;
          List<JsonObject> page = more ? list.subList(1, list.size()) : list;
          return new JsonObject().put("messages", new JsonArray(page)).put("hasMore", more);
        }));
      }
      case "thread" -> c.reply(r, rooms.thread(p, r.id("room"), r.id("message")));
      case "edits" -> c.reply(r, rooms.editHistory(p, r.id("room"), r.id("message")).map(list -> new JsonObject().put("edits", list)));
      case "typing" -> {
        long room = joinedRoom(c, r);
        limits.check(Kind.TYPING, p.key(), room);
        channels.get(room).typing(c);
        c.ack(r, new JsonObject());
      }
      case "read" -> {
        long room = r.id("room");
        c.reply(r, rooms.markRead(p, room, r.id("seq")).map(v -> new JsonObject()));
      }
      default -> throw new ApiError(400, "unknown_type", "Unknown request type '" + r.type() + "'");
    }
  }

  /**
   * A post within the poster's limit; over it, a resend of a post stored earlier is still answered with
   * that post (a duplicate), anything else is refused. A resend answered as a duplicate does not count.
   */
  private Future<MessageStore.Posted> limitedPost(Participant p, long room, String key, String text, Long replyTo, long[] mentions,
      OffsetDateTime writtenAt) {
    ApiError limited = limits.take(Kind.POST, p.key(), room);
    if (limited != null) {
      return rooms.earlierOr(p, room, key, () -> Future.failedFuture(limited));
    }
    return rooms.post(p, room, key, text, replyTo, mentions, writtenAt).onSuccess(posted -> {
      if (posted.duplicate()) {
        limits.refund(Kind.POST, p.key(), room);
      }
    });
  }

  private void join(Connection c, Request r) {
    long roomId = r.id("room");
    Long since = r.optionalId("since");
    Set<Long> already = joined.get(c);
    if (already != null && already.contains(roomId)) {
      leave(c, roomId);
    } else if (already != null && already.size() >= MAX_ROOMS_PER_CONNECTION) {
      throw new ApiError(429, "too_many_rooms", "At most " + MAX_ROOMS_PER_CONNECTION + " rooms per connection; leave one first");
    }
    // Fetched again: leave() drops the set when it empties it.
    joined.computeIfAbsent(c, k -> new HashSet<>()).add(roomId);
    long generation = ++nextGeneration;
    generations.computeIfAbsent(c, k -> new HashMap<>()).put(roomId, generation);
    RoomChannel channel = channels.computeIfAbsent(roomId, id -> new RoomChannel(vertx, rooms.store, id, instanceId, c2 -> leave(c2, id)));
    channel.joinStarting();
    Future<JsonObject> result = channel.ready().compose(v -> {
      channel.joinSettled();
      if (!c.isOpen() || !current(c, roomId, generation)) {
        return Future.failedFuture(new ApiError(409, "superseded", "A newer join of this room replaced this one"));
      }
      RoomChannel.Subscriber sub = channel.add(c);
      return rooms.view(c.participant(), roomId).compose(view -> {
        sub.role = view.role();
        if (since == null) {
          sub.seq = view.lastSeq();
          return Future.succeededFuture(view);
        }
        if (since > view.lastSeq()) {
          return Future.failedFuture(ApiError.invalid("since", "is ahead of the room (last seq " + view.lastSeq() + ")"));
        }
        return rooms.store.eventsSince(roomId, since, RoomService.MAX_RESUME_EVENTS + 1).compose(events -> {
          if (events.size() > RoomService.MAX_RESUME_EVENTS) {
            return Future.failedFuture(new ApiError(409, "resume_too_old",
                "More than " + RoomService.MAX_RESUME_EVENTS + " events missed; join without since and reload with history"));
          }
          sub.seq = since;
          for (JsonObject e : events) {
            c.send(RoomChannel.forRecipient(e.encode(), view.role(), c.participant().key()));
            sub.seq = e.getLong("seq");
          }
          return Future.succeededFuture(view);
        });
      }).compose(view -> {
        if (!c.isOpen() || channel.subscriber(c) != sub || !current(c, roomId, generation)) {
          return Future.failedFuture(new ApiError(409, "not_joined", "The room was left while joining"));
        }
        channel.goLive(sub);
        return moderation.joinSnapshot(c.participant(), roomId).map(snapshot -> new JsonObject()
            .put("room", new JsonObject().put("id", view.id()).put("spaceId", view.spaceId()).put("name", view.name())
                .put("kind", view.kind()).put("open", view.open()))
            .put("role", view.role())
            .put("lastSeq", sub.seq)
            .put("presence", channel.presenceFor(c, view.role()))
            .put("moderation", snapshot.put("state", RoomChannel.stateFor(snapshot.getJsonObject("state"), view.role(),
                c.participant().key()))));
      });
    });
    channel.ready().onFailure(e -> channel.joinSettled());
    result.onFailure(e -> {
      if (current(c, roomId, generation)) {
        leave(c, roomId);
      }
    });
    c.reply(r, result);
  }

  private boolean current(Connection c, long roomId, long generation) {
    Map<Long, Long> mine = generations.get(c);
    return mine != null && Long.valueOf(generation).equals(mine.get(roomId));
  }

  private long joinedRoom(Connection c, Request r) {
    long room = r.id("room");
    Set<Long> mine = joined.get(c);
    RoomChannel channel = channels.get(room);
    if (mine == null || !mine.contains(room) || channel == null || channel.subscriber(c) == null || !channel.subscriber(c).live()) {
      throw new ApiError(409, "not_joined", "Join room " + room + " first");
    }
    return room;
  }

  private void leave(Connection c, long roomId) {
    Map<Long, Long> gens = generations.get(c);
    if (gens != null) {
      gens.remove(roomId);
      if (gens.isEmpty()) {
        generations.remove(c);
      }
    }
    Set<Long> mine = joined.get(c);
    if (mine != null) {
      mine.remove(roomId);
      if (mine.isEmpty()) {
        joined.remove(c);
      }
    }
    RoomChannel channel = channels.get(roomId);
    if (channel != null) {
      channel.remove(c);
      if (channel.isEmpty()) {
        channels.remove(roomId);
        channel.close();
      }
    }
  }

  @Override
  public void accessChanged(AccessChange change) {
    for (RoomChannel channel : List.copyOf(channels.values())) {
      if (channel.inScope(change)) {
        channel.recheck(change);
      }
    }
  }

  @Override
  public void closed(Connection c) {
    Set<Long> mine = joined.get(c);
    if (mine != null) {
      for (Long room : List.copyOf(mine)) {
        leave(c, room);
      }
    }
  }

  private static JsonObject eventResult(JsonObject frame) {
    return new JsonObject().put("seq", frame.getLong("seq")).put("event", frame);
  }
}

package de.werkraum.room;

import de.werkraum.Config;
import de.werkraum.account.CurrentUser;
import de.werkraum.account.Participant;
import de.werkraum.account.Roles;
import de.werkraum.account.Tokens;
import de.werkraum.web.ApiError;
import de.werkraum.web.socket.AccessChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules for a space's standing rooms, its sessions, their guest links and guests. */
public final class SpaceRoomService {

  private static final Logger LOG = LoggerFactory.getLogger(SpaceRoomService.class);
  static final int SESSION_LIST_MAX = 100;

  /** A guest who just joined, with the token for their cookie. */
  record JoinedGuest(JsonObject guest, String token, java.time.OffsetDateTime until) {}

  private final Vertx vertx;
  private final Config config;
  private final Pool pool;
  private final Roles roles;
  final RoomStore rooms;
  final SessionStore sessions;
  private final MessageStore messages;
  private final ModerationService moderation;

  public SpaceRoomService(Vertx vertx, Config config, Pool pool, Roles roles, ModerationService moderation) {
    this.vertx = vertx;
    this.config = config;
    this.moderation = moderation;
    this.pool = pool;
    this.roles = roles;
    this.rooms = new RoomStore(pool);
    this.sessions = new SessionStore(pool);
    this.messages = new MessageStore(pool);
  }

  Future<List<JsonObject>> listRooms(CurrentUser user, long spaceId, boolean includeArchived) {
    return requireSpaceMember(user, spaceId).compose(v -> rooms.visibleRooms(spaceId, user.id(), includeArchived));
  }

  Future<JsonObject> createRoom(CurrentUser user, long spaceId, String name, boolean restricted, long[] members) {
    return existingSpace(spaceId)
        .compose(v -> roles.requireCoordinator(user, spaceId))
        .compose(v -> pool.withTransaction(tx -> rooms.insert(tx, spaceId, name, "standing", restricted)
            .compose(id -> rooms.setAccess(tx, id, restricted ? members : new long[0]).map(x -> id))))
        .compose(id -> rooms.room(id, user.id()))
        .onSuccess(r -> LOG.info("room created id={} space={} by={}", r.getLong("id"), spaceId, user.id()));
  }

  Future<JsonObject> room(CurrentUser user, long roomId) {
    return messages.view(member(user), roomId).compose(v -> rooms.room(roomId, user.id()));
  }

  Future<JsonObject> updateRoom(CurrentUser user, long roomId, String name, boolean restricted, long[] members, int version) {
    return manageableRoom(user, roomId)
        .compose(room -> pool.withTransaction(tx -> rooms.update(tx, roomId, name, restricted, version)
            .compose(v -> rooms.setAccess(tx, roomId, restricted ? members : new long[0]))))
        .map(v -> accessChanged(roomId, "room_access_changed"))
        .compose(v -> rooms.room(roomId, user.id()))
        .onSuccess(r -> LOG.info("room updated id={} by={}", roomId, user.id()));
  }

  Future<JsonObject> setArchived(CurrentUser user, long roomId, boolean archived) {
    return manageableRoom(user, roomId)
        .compose(room -> rooms.setArchived(roomId, archived))
        .compose(v -> rooms.room(roomId, user.id()))
        .onSuccess(r -> LOG.info("room {} id={} by={}", archived ? "archived" : "unarchived", roomId, user.id()));
  }

  private Future<JsonObject> manageableRoom(CurrentUser user, long roomId) {
    return rooms.room(roomId, user.id()).compose(room -> {
      if (room == null) {
        return Future.failedFuture(ApiError.notFound("Room"));
      }
      if (!"standing".equals(room.getString("kind"))) {
        return Future.failedFuture(new ApiError(409, "session_room", "A session's room is managed through its session"));
      }
      return roles.requireCoordinator(user, room.getLong("spaceId")).map(room);
    });
  }

  Future<JsonObject> sessionsOfSpace(CurrentUser user, long spaceId) {
    return requireSpaceMember(user, spaceId).compose(v -> {
      Future<List<JsonObject>> upcoming = sessions.ofSpace(spaceId, false, SESSION_LIST_MAX);
      Future<List<JsonObject>> past = sessions.ofSpace(spaceId, true, SESSION_LIST_MAX);
      return Future.all(upcoming, past).map(x -> new JsonObject()
          .put("upcoming", upcoming.result()).put("past", past.result()));
    });
  }

  Future<JsonObject> createSession(CurrentUser user, long spaceId, SessionStore.SessionDraft draft) {
    long[] moderators = draft.moderators().length == 0 ? new long[] {user.id()} : draft.moderators();
    return existingSpace(spaceId)
        .compose(v -> roles.requireCoordinator(user, spaceId))
        .compose(v -> pool.withTransaction(tx -> rooms.insert(tx, spaceId, draft.title(), "session", false)
            .compose(roomId -> sessions.insert(tx, spaceId, roomId, draft, user.id()))
            .compose(id -> sessions.setModerators(tx, id, moderators).map(x -> id))))
        .compose(sessions::session)
        .onSuccess(s -> LOG.info("session created id={} space={} by={}", s.getLong("id"), spaceId, user.id()));
  }

  Future<JsonObject> session(CurrentUser user, long id) {
    return existingSession(id).compose(s -> messages.view(member(user), s.getLong("roomId")).map(s));
  }

  Future<JsonObject> updateSession(CurrentUser user, long id, SessionStore.SessionDraft draft, int version) {
    return manageableSession(user, id)
        .compose(s -> pool.withTransaction(tx -> sessions.update(tx, id, draft, version)
            .compose(v -> draft.moderators().length == 0 ? Future.succeededFuture() : sessions.setModerators(tx, id, draft.moderators()))
            .compose(v -> tx.preparedQuery("UPDATE rooms SET name = $2 WHERE id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(s.getLong("roomId"), draft.title())))
            .map(v -> s.getLong("roomId"))))
        // Its end may have moved before now: its guests may no longer read the room.
        .map(roomId -> accessChanged(roomId, "session_ended"))
        .compose(v -> sessions.session(id))
        .onSuccess(s -> LOG.info("session updated id={} by={}", id, user.id()));
  }

  /** A new guest link (the old one stops working); shown only in this answer. */
  Future<JsonObject> newGuestLink(CurrentUser user, long id) {
    String token = Tokens.newToken();
    return manageableSession(user, id).compose(s -> {
      if ("members".equals(s.getString("guestPolicy"))) {
        return Future.failedFuture(new ApiError(409, "guests_not_allowed", "This session is for members only; change its guest policy first"));
      }
      if (s.getBoolean("ended")) {
        return Future.failedFuture(new ApiError(409, "session_ended", "This session has ended"));
      }
      return sessions.setGuestLink(id, Tokens.digest(token));
    }).map(v -> {
      LOG.info("guest link created session={} by={}", id, user.id());
      return new JsonObject().put("link", config.publicUrl() + "/#/guest/" + token);
    });
  }

  Future<Void> withdrawGuestLink(CurrentUser user, long id) {
    return manageableSession(user, id).compose(s -> sessions.setGuestLink(id, null));
  }

  /** What the guest page shows before joining. */
  Future<JsonObject> guestInvitation(String token) {
    return sessions.byGuestLink(token).compose(s -> {
      if (s == null) {
        return Future.failedFuture(new ApiError(404, "guest_link_invalid", "This guest link is not valid"));
      }
      if (s.getBoolean("ended")) {
        return Future.failedFuture(new ApiError(410, "session_ended", "This session has ended"));
      }
      return Future.succeededFuture(new JsonObject().put("session", new JsonObject().put("id", s.getLong("id"))
          .put("title", s.getString("title")).put("description", s.getString("description"))
          .put("startsAt", s.getString("startsAt")).put("endsAt", s.getString("endsAt"))
          .put("spaceName", s.getString("spaceName")).put("agenda", s.getJsonArray("agenda")))
          .put("approvalNeeded", "approval".equals(s.getString("guestPolicy"))));
    });
  }

  Future<JoinedGuest> joinAsGuest(String linkToken, String displayName) {
    String token = Tokens.newToken();
    return guestInvitation(linkToken).compose(info -> sessions.byGuestLink(linkToken)).compose(s -> {
      String status = "approval".equals(s.getString("guestPolicy")) ? "lobby" : "admitted";
      return sessions.insertGuest(s.getLong("id"), displayName, token, status).compose(id -> {
        LOG.info("guest joined id={} session={} status={}", id, s.getLong("id"), status);
        if ("lobby".equals(status)) {
          moderation.notice(s.getLong("roomId"), ModerationService.MODERATORS, new JsonObject().put("kind", "lobby_waiting")
              .put("guest", new JsonObject().put("guestId", id).put("key", "g" + id).put("name", displayName)
                  .put("since", java.time.Instant.now().toString())));
        }
        return sessions.guest(token);
      }).map(g -> new JoinedGuest(g, token, java.time.OffsetDateTime.parse(s.getString("endsAt"))));
    });
  }

  Future<JsonObject> guest(String token) {
    return token == null ? Future.succeededFuture(null) : sessions.guest(token);
  }

  private Future<JsonObject> manageableSession(CurrentUser user, long id) {
    return existingSession(id).compose(s -> roles.requireCoordinator(user, s.getLong("spaceId"))
        .recover(e -> sessions.isModerator(id, user.id()).compose(mod -> mod ? Future.succeededFuture() : Future.failedFuture(e)))
        .map(s));
  }

  private Future<JsonObject> existingSession(long id) {
    return sessions.session(id).compose(s -> s == null ? Future.failedFuture(ApiError.notFound("Session")) : Future.succeededFuture(s));
  }

  /** After the commit, before the answer: open sockets in the room re-check their right to read it. */
  private Void accessChanged(long roomId, String reason) {
    AccessChange.inRoom(roomId, reason).publish(vertx);
    return null;
  }

  private Future<Void> existingSpace(long spaceId) {
    return pool.preparedQuery("SELECT 1 FROM spaces WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(spaceId))
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture() : Future.failedFuture(ApiError.notFound("Space")));
  }

  private Future<Void> requireSpaceMember(CurrentUser user, long spaceId) {
    return existingSpace(spaceId).compose(v -> user.admin() ? Future.succeededFuture()
        : roles.roleIn(user.id(), spaceId).compose(role -> role != null ? Future.succeededFuture() : Future.failedFuture(ApiError.forbidden())));
  }

  private static Participant member(CurrentUser user) {
    return Participant.member(user.id(), user.displayName(), user.admin());
  }
}

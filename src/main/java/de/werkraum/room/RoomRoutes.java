package de.werkraum.room;

import de.werkraum.account.CurrentUser;
import de.werkraum.web.ApiError;
import de.werkraum.web.Input;
import de.werkraum.web.Query;
import de.werkraum.web.Respond;
import de.werkraum.web.socket.WebSocketGateway;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

/** HTTP routes of rooms and sessions: standing rooms, sessions, guest links, and the guest's own join. */
public final class RoomRoutes implements de.werkraum.web.ApiRoutes {

  public static final Set<String> GUEST_POLICIES = Set.of("members", "link", "approval");

  private final SpaceRoomService service;
  private final boolean secureCookies;

  public RoomRoutes(SpaceRoomService service, boolean secureCookies) {
    this.service = service;
    this.secureCookies = secureCookies;
  }

  /** Routes for guests, who have no account session. */
  @Override
  public void mountPublic(Router api) {
    api.get("/guest/me").handler(this::guestMe);
    api.get("/guest/:token").handler(ctx -> Respond.with(ctx, 200, service.guestInvitation(ctx.pathParam("token"))));
    api.post("/guest/:token/join").handler(this::guestJoin);
  }

  @Override
  public void mount(Router api) {
    api.get("/spaces/:id/rooms").handler(this::listRooms);
    api.post("/spaces/:id/rooms").handler(this::createRoom);
    api.get("/rooms/:id").handler(ctx -> Respond.with(ctx, 200, service.room(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.put("/rooms/:id").handler(this::updateRoom);
    api.post("/rooms/:id/archive").handler(ctx -> Respond.with(ctx, 200, service.setArchived(CurrentUser.of(ctx), Query.pathId(ctx, "id"), true)));
    api.post("/rooms/:id/unarchive").handler(ctx -> Respond.with(ctx, 200, service.setArchived(CurrentUser.of(ctx), Query.pathId(ctx, "id"), false)));
    api.get("/spaces/:id/sessions").handler(ctx -> Respond.with(ctx, 200, service.sessionsOfSpace(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.post("/spaces/:id/sessions").handler(this::createSession);
    api.get("/sessions/:id").handler(ctx -> Respond.with(ctx, 200, service.session(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.put("/sessions/:id").handler(this::updateSession);
    api.post("/sessions/:id/guest-link").handler(ctx -> Respond.with(ctx, 201, service.newGuestLink(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
    api.delete("/sessions/:id/guest-link").handler(ctx -> Respond.noContent(ctx, service.withdrawGuestLink(CurrentUser.of(ctx), Query.pathId(ctx, "id"))));
  }

  private void listRooms(RoutingContext ctx) {
    boolean archived = "true".equals(Query.param(ctx, "archived"));
    Respond.with(ctx, 200, service.listRooms(CurrentUser.of(ctx), Query.pathId(ctx, "id"), archived).map(list -> Map.of("items", list)));
  }

  private void createRoom(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String name = in.text("name", 120);
    boolean restricted = in.flag("restricted");
    long[] members = in.ids("members", 500);
    Respond.with(ctx, 201, service.createRoom(CurrentUser.of(ctx), Query.pathId(ctx, "id"), name, restricted, members));
  }

  private void updateRoom(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String name = in.text("name", 120);
    boolean restricted = in.flag("restricted");
    long[] members = in.ids("members", 500);
    Respond.with(ctx, 200, service.updateRoom(CurrentUser.of(ctx), Query.pathId(ctx, "id"), name, restricted, members, in.version()));
  }

  private void createSession(RoutingContext ctx) {
    Input in = Input.of(ctx);
    Respond.with(ctx, 201, service.createSession(CurrentUser.of(ctx), Query.pathId(ctx, "id"), draft(in)));
  }

  private void updateSession(RoutingContext ctx) {
    Input in = Input.of(ctx);
    SessionStore.SessionDraft draft = draft(in);
    Respond.with(ctx, 200, service.updateSession(CurrentUser.of(ctx), Query.pathId(ctx, "id"), draft, in.version()));
  }

  private static SessionStore.SessionDraft draft(Input in) {
    String title = in.text("title", 200);
    String description = in.textOrEmpty("description", 4000);
    var agenda = in.texts("agenda", 50, 300);
    OffsetDateTime starts = in.time("startsAt");
    OffsetDateTime ends = in.time("endsAt");
    if (!ends.isAfter(starts)) {
      throw ApiError.invalid("endsAt", "must be after startsAt");
    }
    if (Duration.between(starts, ends).toDays() > 14) {
      throw ApiError.invalid("endsAt", "a session lasts at most 14 days");
    }
    String policy = in.optionalOneOf("guestPolicy", GUEST_POLICIES);
    return new SessionStore.SessionDraft(title, description, agenda, starts, ends, policy == null ? "members" : policy,
        in.ids("moderators", 50));
  }

  private void guestJoin(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String name = in.text("displayName", 60);
    service.joinAsGuest(ctx.pathParam("token"), name).onSuccess(joined -> {
      long seconds = Math.max(60, Duration.between(OffsetDateTime.now(), joined.until()).toSeconds());
      ctx.response().addCookie(Cookie.cookie(WebSocketGateway.GUEST_COOKIE, joined.token())
          .setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX).setSecure(secureCookies).setMaxAge(seconds));
      Respond.json(ctx, 201, joined.guest());
    }).onFailure(ctx::fail);
  }

  private void guestMe(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(WebSocketGateway.GUEST_COOKIE);
    service.guest(cookie == null ? null : cookie.getValue()).onSuccess(g -> {
      if (g == null) {
        ctx.fail(new ApiError(401, "unauthenticated", "No guest access in this browser"));
      } else {
        Respond.json(ctx, 200, g);
      }
    }).onFailure(ctx::fail);
  }

}

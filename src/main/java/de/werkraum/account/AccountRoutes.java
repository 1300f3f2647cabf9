package de.werkraum.account;

import de.werkraum.web.Input;
import de.werkraum.web.Query;
import de.werkraum.web.Respond;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/** HTTP routes of accounts: set-up, login/logout, password, invitations, account administration. */
public final class AccountRoutes implements de.werkraum.web.ApiRoutes {

  private final AccountService accounts;
  private final InvitationService invitations;
  private final SessionGuard guard;

  public AccountRoutes(AccountService accounts, InvitationService invitations, SessionGuard guard) {
    this.accounts = accounts;
    this.invitations = invitations;
    this.guard = guard;
  }

  @Override
  public void mountPublic(Router api) {
    api.get("/setup").handler(this::setupNeeded);
    api.post("/setup").handler(this::setup);
    api.post("/auth/login").handler(this::login);
    api.post("/auth/logout").handler(this::logout);
    api.get("/invitations/token/:token").handler(this::lookupInvitation);
    api.post("/invitations/token/:token/accept").handler(this::acceptInvitation);
  }

  @Override
  public void mount(Router api) {
    api.put("/me/password").handler(this::changePassword);
    api.post("/invitations").handler(this::invite);
    api.get("/invitations").handler(this::listInvitations);
    api.delete("/invitations/:id").handler(this::revokeInvitation);
    api.get("/admin/users").handler(this::listAccounts);
    api.post("/admin/users/:id/deactivate").handler(ctx -> setActive(ctx, false));
    api.post("/admin/users/:id/activate").handler(ctx -> setActive(ctx, true));
  }

  private void setupNeeded(RoutingContext ctx) {
    Respond.with(ctx, 200, accounts.store().adminExists(accounts.store().pool()).map(exists -> Map.of("needed", !exists)));
  }

  private void setup(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String token = in.text("token", 100);
    String email = in.email("email");
    String name = in.text("displayName", 100);
    String password = in.secret("password");
    loggedIn(ctx, 201, accounts.setup(token, email, name, password));
  }

  private void login(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String email = in.email("email");
    String password = in.secret("password");
    accounts.login(email, password, ctx.request().remoteAddress().hostAddress())
        .onSuccess(li -> {
          guard.setCookie(ctx, li.token());
          Respond.json(ctx, 200, li.user());
        })
        .onFailure(e -> {
          if (e instanceof LoginThrottle.Throttled t) {
            ctx.response().putHeader("Retry-After", Long.toString(t.retryAfterSeconds()));
            ctx.fail(t.toApiError());
          } else {
            ctx.fail(e);
          }
        });
  }

  private void logout(RoutingContext ctx) {
    accounts.logout(SessionGuard.token(ctx)).onSuccess(v -> {
      guard.clearCookie(ctx);
      ctx.response().setStatusCode(204).end();
    }).onFailure(ctx::fail);
  }

  private void changePassword(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String current = in.secret("currentPassword");
    String next = in.secret("newPassword");
    Respond.noContent(ctx, accounts.changePassword(CurrentUser.of(ctx), SessionGuard.token(ctx), current, next));
  }

  private void invite(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String email = in.email("email");
    Long spaceId = in.optionalId("spaceId");
    String role = in.optionalOneOf("spaceRole", Set.of(Roles.MEMBER, Roles.COORDINATOR));
    boolean admin = in.flag("admin");
    Respond.with(ctx, 201, invitations.invite(CurrentUser.of(ctx), email, spaceId, role, admin)
        .map(c -> JsonObject.mapFrom(c.invitation()).put("link", c.link())));
  }

  private void listInvitations(RoutingContext ctx) {
    Query q = Query.of(ctx);
    CurrentUser user = CurrentUser.of(ctx);
    Long space = Query.optionalId(ctx, "space");
    Respond.page(ctx, q, invitations.list(user, space, q.size(), q.offset()), invitations.count(user, space));
  }

  private void revokeInvitation(RoutingContext ctx) {
    Respond.noContent(ctx, invitations.revoke(CurrentUser.of(ctx), Query.pathId(ctx, "id")));
  }

  private void lookupInvitation(RoutingContext ctx) {
    Respond.with(ctx, 200, invitations.lookup(ctx.pathParam("token")).map(p -> {
      JsonObject body = new JsonObject().put("email", p.email()).put("expiresAt", p.expiresAt().toInstant().toString());
      body.put("space", p.space() == null ? null : JsonObject.mapFrom(p.space()));
      return body.put("spaceRole", p.spaceRole());
    }));
  }

  private void acceptInvitation(RoutingContext ctx) {
    Input in = Input.of(ctx);
    String name = in.text("displayName", 100);
    String password = in.secret("password");
    loggedIn(ctx, 201, invitations.accept(ctx.pathParam("token"), name, password));
  }

  private void listAccounts(RoutingContext ctx) {
    CurrentUser.of(ctx).requireAdmin();
    Query q = Query.of(ctx);
    Respond.page(ctx, q, accounts.store().list(q.q(), q.size(), q.offset()), accounts.store().count(q.q()));
  }

  private void setActive(RoutingContext ctx, boolean active) {
    Respond.with(ctx, 200, accounts.setActive(CurrentUser.of(ctx), Query.pathId(ctx, "id"), active));
  }

  private void loggedIn(RoutingContext ctx, int status, Future<AccountService.LoggedIn> result) {
    result.onSuccess(li -> {
      guard.setCookie(ctx, li.token());
      Respond.json(ctx, status, li.user());
    }).onFailure(ctx::fail);
  }
}

package de.werkraum.account;

import de.werkraum.web.ApiError;
import io.vertx.ext.web.RoutingContext;

/** The account behind the request's session, re-read from the database on every request. */
public record CurrentUser(long id, String email, String displayName, boolean admin) {

  private static final String KEY = "werkraum.user";

  public static CurrentUser of(RoutingContext ctx) {
    CurrentUser user = ctx.get(KEY);
    if (user == null) {
      throw ApiError.unauthenticated();
    }
    return user;
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  public void requireAdmin() {
    if (!admin) {
      throw ApiError.forbidden();
    }
  }
}

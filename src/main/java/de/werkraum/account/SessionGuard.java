package de.werkraum.account;

import de.werkraum.Config;
import de.werkraum.web.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Resolves the session cookie to the current account on every request, enforcing idle timeout,
 * absolute lifetime and deactivation. Requests without a valid session are refused with 401.
 */
public final class SessionGuard implements Handler<RoutingContext> {

  public static final String COOKIE = "werkraum_session";
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final LoginSessionStore sessions;
  private final Config config;

  public SessionGuard(LoginSessionStore sessions, Config config) {
    this.sessions = sessions;
    this.config = config;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String token = token(ctx);
    if (token == null) {
      ctx.fail(ApiError.unauthenticated());
      return;
    }
    sessions.find(token).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      LoginSessionStore.SessionRow row = found.result();
      if (row == null || !row.isValid(config.sessionIdle())) {
        if (row != null) {
          sessions.delete(token);
        }
        clearCookie(ctx);
        ctx.fail(ApiError.unauthenticated());
        return;
      }
      row.user().attachTo(ctx);
      if (OffsetDateTime.now().isAfter(row.lastSeen().plus(TOUCH_EVERY))) {
        sessions.touch(token);
      }
      ctx.next();
    });
  }

  public static String token(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
  }

  public void setCookie(RoutingContext ctx, String token) {
    ctx.response().addCookie(Cookie.cookie(COOKIE, token)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX)
        .setSecure(config.secureCookies())
        .setMaxAge(config.sessionMax().toSeconds()));
  }

  public void clearCookie(RoutingContext ctx) {
    ctx.response().addCookie(Cookie.cookie(COOKIE, "")
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX)
        .setSecure(config.secureCookies())
        .setMaxAge(0));
  }
}

package de.werkraum.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses state-changing requests that do not come from our own pages: the Origin must be exactly
 * the public origin, and the custom header (which no cross-site form or simple request can carry) must be set.
 */
public final class CsrfGuard implements Handler<RoutingContext> {

  public static final String HEADER = "X-Werkraum-Csrf";

  private final String origin;

  public CsrfGuard(String origin) {
    this.origin = origin;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    if (!origin.equals(ctx.request().getHeader("Origin"))) {
      ctx.fail(new ApiError(403, "csrf_origin", "Request refused: it does not come from " + origin));
      return;
    }
    if (!"1".equals(ctx.request().getHeader(HEADER))) {
      ctx.fail(new ApiError(403, "csrf_header", "Request refused: header " + HEADER + " missing"));
      return;
    }
    ctx.next();
  }
}

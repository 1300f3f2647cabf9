package de.werkraum.web;

import io.vertx.ext.web.RoutingContext;

/** Query parameters of list endpoints: paging, search text, numeric filters. */
public record Query(int page, int size, String q) {

  public static final int MAX_SIZE = 100;

  public static Query of(RoutingContext ctx) {
    int page = intParam(ctx, "page", 0, 0, 1_000_000);
    int size = intParam(ctx, "size", 20, 1, MAX_SIZE);
    String q = ctx.request().getParam("q");
    q = q == null || q.isBlank() ? null : q.strip();
    if (q != null && q.length() > 200) {
      throw new ApiError(400, "invalid_query", "Search text is longer than 200 characters", "q");
    }
    return new Query(page, size, q);
  }

  public int offset() {
    return page * size;
  }

  public static Long optionalId(RoutingContext ctx, String name) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      long id = Long.parseLong(raw);
      if (id < 1) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw new ApiError(400, "invalid_query", "Parameter '" + name + "' must be a positive integer", name);
    }
  }

  /** A path parameter id; anything unparsable is simply not found. */
  public static long pathId(RoutingContext ctx, String name) {
    try {
      long id = Long.parseLong(ctx.pathParam(name));
      if (id < 1) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiError.notFound("Resource");
    }
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ApiError(400, "invalid_query", "Parameter '" + name + "' must be an integer from " + min + " to " + max, name);
    }
  }
}

package de.werkraum.web;

import io.vertx.ext.web.RoutingContext;

/**
 * Query parameters of list endpoints (paging, search text, numeric filters) and path parameter ids.
 * Text and numbers are checked by {@link Field}; a bad query parameter is {@code invalid_query}.
 */
public record Query(int page, int size, String q) {

  public static final int MAX_SIZE = 100;

  public static Query of(RoutingContext ctx) {
    int page = intParam(ctx, "page", 0, 0, 1_000_000);
    int size = intParam(ctx, "size", 20, 1, MAX_SIZE);
    String q = param(ctx, "q");
    q = q == null || q.isBlank() ? null : q.strip();
    if (q != null && q.length() > 200) {
      throw new ApiError(400, "invalid_query", "Search text is longer than 200 characters", "q");
    }
    return new Query(page, size, q);
  }

  public int offset() {
    return page * size;
  }

  /** A query parameter as sent (null when absent), refused with {@code invalid_query} if it holds text that cannot be stored. */
  public static String param(RoutingContext ctx, String name) {
    String raw = ctx.request().getParam(name);
    if (raw != null && !Field.storable(raw)) {
      throw new ApiError(400, "invalid_query", "Parameter '" + name + "' contains a character that cannot be stored (U+0000)", name);
    }
    return raw;
  }

  public static Long optionalId(RoutingContext ctx, String name) {
    String raw = param(ctx, name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    Long id = Field.digits(raw, 1, Long.MAX_VALUE);
    if (id == null) {
      throw new ApiError(400, "invalid_query", "Parameter '" + name + "' must be a positive integer (digits only, at most "
          + Long.MAX_VALUE + ")", name);
    }
    return id;
  }

  /** A path parameter id: digits only, 1 to 2^63-1; anything else is simply not found. */
  public static long pathId(RoutingContext ctx, String name) {
    Long id = Field.digits(ctx.pathParam(name), 1, Long.MAX_VALUE);
    if (id == null) {
      throw ApiError.notFound("Resource");
    }
    return id;
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = param(ctx, name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    Long value = Field.digits(raw, min, max);
    if (value == null) {
      throw new ApiError(400, "invalid_query", "Parameter '" + name + "' must be an integer from " + min + " to " + max, name);
    }
    return value.intValue();
  }
}

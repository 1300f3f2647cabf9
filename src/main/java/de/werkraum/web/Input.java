package de.werkraum.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Reads and validates one JSON request body, field by field, failing with a stable code. Text and
 * numbers go through {@link Field}, the same checks as query parameters and socket frames.
 */
public final class Input {

  private final JsonObject json;

  private Input(JsonObject json) {
    this.json = json;
  }

  public static Input of(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new ApiError(415, "unsupported_media_type", "Send the body as application/json");
    }
    Object parsed;
    try {
      parsed = ctx.body().buffer() == null ? null : Json.decodeValue(ctx.body().buffer());
    } catch (DecodeException e) {
      throw new ApiError(400, "malformed_json", "The body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject obj)) {
      throw new ApiError(400, "malformed_json", "The body must be a JSON object");
    }
    return new Input(obj);
  }

  /** A required text, trimmed, 1..max characters. */
  public String text(String field, int max) {
    String value = optionalText(field, max);
    if (value == null || value.isEmpty()) {
      throw ApiError.missing(field);
    }
    return value;
  }

  /** An optional text, trimmed; absent or null gives null. */
  public String optionalText(String field, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    String trimmed = Field.text(field, value).strip();
    if (trimmed.length() > max) {
      throw ApiError.tooLong(field, max);
    }
    return trimmed;
  }

  /** An optional text that defaults to the empty string. */
  public String textOrEmpty(String field, int max) {
    String value = optionalText(field, max);
    return value == null ? "" : value;
  }

  /** A password is taken as it is, not trimmed. */
  public String secret(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    return Field.text(field, value);
  }

  public String oneOf(String field, Set<String> allowed) {
    String value = text(field, 64);
    if (!allowed.contains(value)) {
      throw ApiError.invalid(field, "must be one of " + allowed);
    }
    return value;
  }

  public String optionalOneOf(String field, Set<String> allowed) {
    return json.getValue(field) == null ? null : oneOf(field, allowed);
  }

  public long id(String field) {
    Long value = optionalId(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    return value;
  }

  public Long optionalId(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    return Field.integer(field, value, 1, Long.MAX_VALUE);
  }

  public int version() {
    return version("version");
  }

  /** A required version number of optimistic concurrency (a positive integer that fits an int). */
  public int version(String field) {
    long value = id(field);
    if (value > Integer.MAX_VALUE) {
      throw ApiError.invalid(field, "is not a version this server gave out");
    }
    return (int) value;
  }

  /** Whether the body has the field with a value other than null (for partial updates). */
  public boolean has(String field) {
    return json.getValue(field) != null;
  }

  public boolean flag(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw ApiError.invalid(field, "must be true or false");
    }
    return b;
  }

  public String email(String field) {
    String value = text(field, 254).toLowerCase();
    int at = value.indexOf('@');
    if (at < 1 || at == value.length() - 1 || value.chars().anyMatch(Character::isWhitespace)) {
      throw ApiError.invalid(field, "must be an email address");
    }
    return value;
  }

  /** An optional list of positive ids (absent: empty). */
  public long[] ids(String field, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return new long[0];
    }
    if (!(value instanceof io.vertx.core.json.JsonArray array)) {
      throw ApiError.invalid(field, "must be a list of ids");
    }
    if (array.size() > max) {
      throw ApiError.invalid(field, "may name at most " + max + " ids");
    }
    long[] ids = new long[array.size()];
    for (int i = 0; i < ids.length; i++) {
      Long id = Field.exactInteger(array.getValue(i), 1, Long.MAX_VALUE);
      if (id == null) {
        throw ApiError.invalid(field, "must contain positive integers (at most " + Long.MAX_VALUE + ", no fraction or exponent)");
      }
      ids[i] = id;
    }
    return ids;
  }

  /** An optional list of short texts (absent: empty), each trimmed, none empty. */
  public io.vertx.core.json.JsonArray texts(String field, int maxItems, int maxLength) {
    Object value = json.getValue(field);
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    if (value == null) {
      return out;
    }
    if (!(value instanceof io.vertx.core.json.JsonArray array) || array.size() > maxItems) {
      throw ApiError.invalid(field, "must be a list of at most " + maxItems + " texts");
    }
    for (Object item : array) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw ApiError.invalid(field, "must contain non-empty texts");
      }
      if (!Field.storable(s)) {
        throw Field.invalidText(field);
      }
      if (s.strip().length() > maxLength) {
        throw ApiError.tooLong(field, maxLength);
      }
      out.add(s.strip());
    }
    return out;
  }

  /**
   * A required point in time, ISO-8601 with offset (e.g. {@code 2026-12-01T09:00:00Z}), in the years
   * 1 to 9999 (PostgreSQL's timestamps end in the year 294276; Java's go far beyond).
   */
  public java.time.OffsetDateTime time(String field) {
    String value = text(field, 64);
    java.time.OffsetDateTime time;
    try {
      time = java.time.OffsetDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiError.invalid(field, "must be an ISO-8601 time with offset, e.g. 2026-12-01T09:00:00Z");
    }
    int year = time.withOffsetSameInstant(java.time.ZoneOffset.UTC).getYear();
    if (year < 1 || year > 9999) {
      throw ApiError.invalid(field, "must be a time in the years 1 to 9999");
    }
    return time;
  }

  public String website(String field) {
    String value = textOrEmpty(field, 300);
    if (!value.isEmpty() && !value.startsWith("https://") && !value.startsWith("http://")) {
      throw ApiError.invalid(field, "must start with http:// or https://");
    }
    return value;
  }
}

package de.werkraum.web.socket;

import de.werkraum.web.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One client request frame: its id, its type and its fields, with readers that fail with stable codes. */
public record Request(Object id, String type, JsonObject body) {

  public long id(String field) {
    Long value = optionalId(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    return value;
  }

  public Long optionalId(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
      throw ApiError.invalid(field, "must be a non-negative integer");
    }
    return n.longValue();
  }

  public String text(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    if (!(value instanceof String s)) {
      throw ApiError.invalid(field, "must be a string");
    }
    return s;
  }

  public long[] ids(String field, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return new long[0];
    }
    if (!(value instanceof JsonArray array) || array.size() > max) {
      throw ApiError.invalid(field, "must be a list of at most " + max + " ids");
    }
    long[] ids = new long[array.size()];
    for (int i = 0; i < ids.length; i++) {
      if (!(array.getValue(i) instanceof Number n) || n.longValue() < 1) {
        throw ApiError.invalid(field, "must contain positive integers");
      }
      ids[i] = n.longValue();
    }
    return ids;
  }
}

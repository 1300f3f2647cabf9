package de.werkraum.web.socket;

import de.werkraum.web.ApiError;
import de.werkraum.web.Field;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One client request frame: its id, its type and its fields, with the readers every socket handler uses.
 * They fail with stable codes; text and numbers are checked by {@link Field}, as in HTTP bodies.
 */
public record Request(Object id, String type, JsonObject body) {

  /** A required whole number from 0 to 2^63-1 (ids, seqs, versions, positions). */
  public long id(String field) {
    Long value = optionalId(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    return value;
  }

  public Long optionalId(String field) {
    Object value = body.getValue(field);
    return value == null ? null : Field.integer(field, value, 0, Long.MAX_VALUE);
  }

  /** A required text, as sent (not trimmed; may be empty). */
  public String text(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    return Field.text(field, value);
  }

  /** A text, trimmed, at most {@code max} characters; absent gives "" unless required, empty when required is {@code missing_field}. */
  public String trimmedText(String field, int max, boolean required) {
    if (body.getValue(field) == null && !required) {
      return "";
    }
    String text = text(field).strip();
    if (required && text.isEmpty()) {
      throw ApiError.missing(field);
    }
    if (text.length() > max) {
      throw ApiError.tooLong(field, max);
    }
    return text;
  }

  public boolean flag(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw ApiError.missing(field);
    }
    if (!(value instanceof Boolean b)) {
      throw ApiError.invalid(field, "must be true or false");
    }
    return b;
  }

  /** An optional flag: absent or null is false. */
  public boolean optionalFlag(String field) {
    return body.getValue(field) != null && flag(field);
  }

  /** An optional list of at most {@code max} positive ids (absent: empty). */
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
      Long id = Field.exactInteger(array.getValue(i), 1, Long.MAX_VALUE);
      if (id == null) {
        throw ApiError.invalid(field, "must contain positive integers (at most " + Long.MAX_VALUE + ", no fraction or exponent)");
      }
      ids[i] = id;
    }
    return ids;
  }

  /** A required list of {@code minItems} to {@code maxItems} texts, each trimmed, 1 to {@code maxLength} characters. */
  public List<String> texts(String field, int minItems, int maxItems, int maxLength) {
    Object raw = body.getValue(field);
    if (raw == null) {
      throw ApiError.missing(field);
    }
    if (!(raw instanceof JsonArray array) || array.size() < minItems || array.size() > maxItems) {
      throw ApiError.invalid(field, "must be a list of " + minItems + " to " + maxItems + " texts");
    }
    List<String> texts = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s) || s.isBlank() || s.strip().length() > maxLength) {
        throw ApiError.invalid(field, "must hold texts of 1 to " + maxLength + " characters");
      }
      if (!Field.storable(s)) {
        throw Field.invalidText(field);
      }
      texts.add(s.strip());
    }
    return texts;
  }

  /** A required list of at most {@code maxItems} whole numbers from {@code min} to {@code max}. */
  public int[] integers(String field, int maxItems, int min, int max) {
    Object raw = body.getValue(field);
    if (raw == null) {
      throw ApiError.missing(field);
    }
    if (!(raw instanceof JsonArray array) || array.size() > maxItems) {
      throw ApiError.invalid(field, "must be a list of at most " + maxItems + " integers");
    }
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      Long n = Field.exactInteger(array.getValue(i), min, max);
      if (n == null) {
        throw ApiError.invalid(field, "must contain integers from " + min + " to " + max);
      }
      values[i] = n.intValue();
    }
    return values;
  }
}

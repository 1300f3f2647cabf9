package de.werkraum.web;

import java.math.BigInteger;

/**
 * The one set of checks for text and whole numbers that arrive from outside: JSON bodies ({@link Input}),
 * query and path parameters ({@link Query}) and WebSocket frames ({@code socket.Request}) all read
 * through it, so a value PostgreSQL cannot store, or a number that would be rounded or wrapped, is
 * refused at the edge with the same code everywhere (docs/api.md and docs/protocol.md, *Text and numbers*).
 */
public final class Field {

  private Field() {}

  /**
   * Whether PostgreSQL can store the text as it is: no U+0000 (its text types cannot hold it) and no
   * unpaired surrogate (it has no UTF-8 form; the driver would silently store "?" instead). Every other
   * code point, non-characters and other control characters included, is storable; fields that must
   * not hold them say so in their own rules.
   */
  public static boolean storable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The refusal of a body or frame field holding text that cannot be stored. */
  public static ApiError invalidText(String field) {
    return new ApiError(400, "invalid_text",
        "Field '" + field + "' contains a character that cannot be stored (U+0000 or an unpaired surrogate)", field);
  }

  /** A JSON value that must be a string of storable text; {@code invalid_field} or {@code invalid_text} otherwise. */
  public static String text(String field, Object value) {
    if (!(value instanceof String s)) {
      throw ApiError.invalid(field, "must be a string");
    }
    if (!storable(s)) {
      throw invalidText(field);
    }
    return s;
  }

  /**
   * A JSON value that must be a whole number written without fraction or exponent (so never one rounded
   * from a float) from {@code min} to {@code max}; {@code invalid_field} otherwise. The JSON parser gives
   * Integer, Long or BigInteger for such numbers and Double for all others.
   */
  public static long integer(String field, Object value, long min, long max) {
    Long n = exactInteger(value, min, max);
    if (n == null) {
      throw ApiError.invalid(field, rangeText(min, max));
    }
    return n;
  }

  /** The whole number in {@code value} if it is one from {@code min} to {@code max}, else null. */
  public static Long exactInteger(Object value, long min, long max) {
    long n;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      n = ((Number) value).longValue();
    } else if (value instanceof BigInteger big) {
      if (big.bitLength() > 63) {
        return null;
      }
      n = big.longValueExact();
    } else {
      return null;
    }
    return n < min || n > max ? null : n;
  }

  /**
   * A number given as text (query or path parameter): ASCII digits only, no sign, no spaces, no other
   * scripts' digits, from {@code min} to {@code max}; null otherwise.
   */
  public static Long digits(String raw, long min, long max) {
    if (raw == null || raw.isEmpty() || raw.length() > 19) {
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    long n;
    try {
      n = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return null;
    }
    return n < min || n > max ? null : n;
  }

  /** How a range is named in messages: "a positive integer" for ids, the bounds otherwise. */
  public static String rangeText(long min, long max) {
    if (min == 1 && max == Long.MAX_VALUE) {
      return "must be a positive integer (at most " + Long.MAX_VALUE + ", no fraction or exponent)";
    }
    if (min == 0 && max == Long.MAX_VALUE) {
      return "must be a non-negative integer (at most " + Long.MAX_VALUE + ", no fraction or exponent)";
    }
    return "must be an integer from " + min + " to " + max + " (no fraction or exponent)";
  }
}

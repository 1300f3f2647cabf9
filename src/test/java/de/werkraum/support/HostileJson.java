package de.werkraum.support;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON with every character outside printable ASCII as a {@code \\uXXXX} escape, so that text no
 * encoder would send (U+0000, unpaired surrogates) reaches the server exactly as a hostile client can
 * send it, and numbers exactly as written ({@code BigInteger}, {@code BigDecimal}, or a raw {@link Literal}).
 */
public final class HostileJson {

  /** A number (or any JSON) written as it is, e.g. {@code 1e400} or {@code -0}. */
  public record Literal(String json) {
    @Override
    public String toString() {
      return json;
    }
  }

  private HostileJson() {}

  public static String encode(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value);
    return b.toString();
  }

  private static void write(StringBuilder b, Object value) {
    if (value == null) {
      b.append("null");
    } else if (value instanceof String s) {
      string(b, s);
    } else if (value instanceof Number || value instanceof Boolean || value instanceof Literal) {
      b.append(value);
    } else if (value instanceof Map<?, ?> map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          b.append(',');
        }
        first = false;
        string(b, (String) e.getKey());
        b.append(':');
        write(b, e.getValue());
      }
      b.append('}');
    } else if (value instanceof List<?> list) {
      b.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        write(b, list.get(i));
      }
      b.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    b.append('"');
  }
}

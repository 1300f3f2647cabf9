package de.werkraum.ot;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Composition, transformation and inversion of formatting attributes, as the Delta format defines them. */
public final class Attributes {

  private Attributes() {}

  /**
   * {@code b} applied after {@code a}. Null values in {@code b} remove a format; they are kept only
   * when {@code keepNull} (composing onto a retain, where the removal must still travel).
   */
  public static Map<String, Object> compose(Map<String, Object> a, Map<String, Object> b, boolean keepNull) {
    Map<String, Object> result = new HashMap<>();
    if (b != null) {
      for (Map.Entry<String, Object> e : b.entrySet()) {
        if (keepNull || e.getValue() != null) {
          result.put(e.getKey(), e.getValue());
        }
      }
    }
    if (a != null) {
      for (Map.Entry<String, Object> e : a.entrySet()) {
        if (b == null || !b.containsKey(e.getKey())) {
          result.put(e.getKey(), e.getValue());
        }
      }
    }
    return result.isEmpty() ? null : result;
  }

  /** {@code b} transformed against the concurrent {@code a}; with priority, {@code a}'s formats win. */
  public static Map<String, Object> transform(Map<String, Object> a, Map<String, Object> b, boolean priority) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return null;
    }
    if (!priority) {
      return b;
    }
    Map<String, Object> result = new HashMap<>();
    for (Map.Entry<String, Object> e : b.entrySet()) {
      if (!a.containsKey(e.getKey())) {
        result.put(e.getKey(), e.getValue());
      }
    }
    return result.isEmpty() ? null : result;
  }

  /** The attributes that undo {@code attr} applied on text formatted with {@code base}. */
  public static Map<String, Object> invert(Map<String, Object> attr, Map<String, Object> base) {
    Map<String, Object> a = attr == null ? Map.of() : attr;
    Map<String, Object> bs = base == null ? Map.of() : base;
    Map<String, Object> result = new HashMap<>();
    for (Map.Entry<String, Object> e : bs.entrySet()) {
      if (a.containsKey(e.getKey()) && !Objects.equals(e.getValue(), a.get(e.getKey()))) {
        result.put(e.getKey(), e.getValue());
      }
    }
    for (String key : a.keySet()) {
      if (!bs.containsKey(key)) {
        result.put(key, null);
      }
    }
    return result.isEmpty() ? null : result;
  }
}

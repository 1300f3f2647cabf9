package de.werkraum.ot;

import java.util.Map;
import java.util.Objects;

/**
 * One operation of a {@link Delta}: insert text, retain a number of characters, or delete a number of
 * characters; inserts and retains may carry formatting attributes. Lengths count UTF-16 code units,
 * as JavaScript does. Immutable.
 */
public final class Op {

  /** The three kinds of operation. */
  public enum Type { INSERT, RETAIN, DELETE }

  /**
   * The longest op (and the most a delta's lengths may add up to): one below {@link Integer#MAX_VALUE},
   * which stands for the endless retain past a delta's end. Longer is refused, never wrapped around.
   */
  public static final int MAX_LENGTH = Integer.MAX_VALUE - 1;

  /** The endless retain past the end of a delta (see {@link OpIterator}). */
  static final Op END = new Op(Type.RETAIN, null, Integer.MAX_VALUE, null, true);

  private final Type type;
  private final String text;
  private final int length;
  private final Map<String, Object> attributes;

  // Attribute values may be null (in a retain: remove that format), so no Map.copyOf here.
  private Op(Type type, String text, int length, Map<String, Object> attributes) {
    this.type = type;
    this.text = text;
    this.length = length;
    this.attributes = attributes == null || attributes.isEmpty() ? null
        : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(attributes));
  }

  /** For pieces and merges of existing ops: their attributes are already an unmodifiable copy, shared. */
  private Op(Type type, String text, int length, Map<String, Object> sharedAttributes, boolean shared) {
    this.type = type;
    this.text = text;
    this.length = length;
    this.attributes = sharedAttributes;
  }

  /** The part {@code [start, start + take)} of this op, with the same attributes (this op itself when it is all of it). */
  Op piece(int start, int take) {
    if (start == 0 && take == length) {
      return this;
    }
    return new Op(type, type == Type.INSERT ? text.substring(start, start + take) : null, take, attributes, true);
  }

  /** This op lengthened by {@code next}, which has the same type and attributes; fails past {@link #MAX_LENGTH}. */
  Op merged(Op next) {
    int sum = checkedLength((long) length + next.length);
    return type == Type.INSERT ? new Op(type, text + next.text, sum, attributes, true)
        : new Op(type, null, sum, attributes, true);
  }

  /** {@code length} if an op may have it; an {@link ArithmeticException} if it is beyond {@link #MAX_LENGTH}. */
  static int checkedLength(long length) {
    if (length > MAX_LENGTH) {
      throw new ArithmeticException("Delta lengths add up past " + MAX_LENGTH);
    }
    return (int) length;
  }

  public static Op insert(String text, Map<String, Object> attributes) {
    return new Op(Type.INSERT, text, checkedLength(text.length()), attributes);
  }

  public static Op retain(int length, Map<String, Object> attributes) {
    return new Op(Type.RETAIN, null, checkedLength(length), attributes);
  }

  public static Op delete(int length) {
    return new Op(Type.DELETE, null, checkedLength(length), null);
  }

  public Type type() {
    return type;
  }

  public boolean isInsert() {
    return type == Type.INSERT;
  }

  public boolean isRetain() {
    return type == Type.RETAIN;
  }

  public boolean isDelete() {
    return type == Type.DELETE;
  }

  /** The inserted text (inserts only). */
  public String text() {
    return text;
  }

  /** Length in UTF-16 code units. */
  public int length() {
    return length;
  }

  /** The attributes, or null when there are none. Values may be null in retains (remove a format). */
  public Map<String, Object> attributes() {
    return attributes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Op other && type == other.type && length == other.length
        && Objects.equals(text, other.text) && Objects.equals(attributes, other.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, text, length, attributes);
  }

  @Override
  public String toString() {
    String a = attributes == null ? "" : " " + attributes;
    return switch (type) {
      case INSERT -> "insert(" + text + ")" + a;
      case RETAIN -> "retain(" + length + ")" + a;
      case DELETE -> "delete(" + length + ")";
    };
  }
}

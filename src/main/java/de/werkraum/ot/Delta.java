package de.werkraum.ot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rich-text document or a change to one, in Quill's Delta format: a list of insert, retain and delete
 * operations. Implements the format's documented semantics — normalisation on push, {@link #compose},
 * {@link #transform}, {@link #transformPosition}, {@link #invert} — with lengths in UTF-16 code units.
 * Immutable; build with {@link Builder}.
 */
public final class Delta {

  public static final Delta EMPTY = new Delta(List.of());

  private final List<Op> ops;
  /** {@link #length()}, computed when first asked (-1 until then); a document's length is asked often. */
  private int length = -1;

  private Delta(List<Op> ops) {
    this.ops = Collections.unmodifiableList(ops);
  }

  public List<Op> ops() {
    return ops;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A normalised delta from ops as given (merging neighbours, moving inserts before deletes). */
  public static Delta of(List<Op> ops) {
    Builder b = new Builder();
    ops.forEach(b::push);
    return b.build();
  }

  /**
   * Characters a document delta contains, or the length a change spans. Counted exactly: a delta whose
   * lengths add up past {@link Op#MAX_LENGTH} fails with an {@link ArithmeticException}, never wraps.
   */
  public int length() {
    if (length < 0) {
      long n = 0;
      for (Op op : ops) {
        n += op.length();
      }
      length = Op.checkedLength(n);
    }
    return length;
  }

  /**
   * This document with {@code change} applied: {@link #compose}, with the new length worked out from this
   * one's instead of counted again (the change must fit: its {@link #baseLength} at most this length).
   */
  public Delta applied(Delta change) {
    Delta next = compose(change);
    if (length >= 0) {
      long grown = 0;
      for (Op op : change.ops) {
        if (op.isInsert()) {
          grown += op.length();
        } else if (op.isDelete()) {
          grown -= op.length();
        }
      }
      next.length = Op.checkedLength(length + grown);
    }
    return next;
  }

  /** Length of the document this change applies to (retains and deletes); exact, as {@link #length()}. */
  public int baseLength() {
    long n = 0;
    for (Op op : ops) {
      if (!op.isInsert()) {
        n += op.length();
      }
    }
    return Op.checkedLength(n);
  }

  /** True when the delta only inserts: a document. */
  public boolean isDocument() {
    return ops.stream().allMatch(Op::isInsert);
  }

  /** The plain text of a document delta. */
  public String text() {
    StringBuilder b = new StringBuilder();
    for (Op op : ops) {
      if (op.isInsert()) {
        b.append(op.text());
      }
    }
    return b.toString();
  }

  /** {@code this} followed by {@code other}: one delta with the effect of both. */
  public Delta compose(Delta other) {
    OpIterator thisIter = new OpIterator(ops);
    OpIterator otherIter = new OpIterator(other.ops);
    Builder delta = new Builder();
    Op firstOther = otherIter.peek();
    if (firstOther != null && firstOther.isRetain() && firstOther.attributes() == null) {
      int firstLeft = firstOther.length();
      while (thisIter.peekType() == Op.Type.INSERT && thisIter.peekLength() <= firstLeft) {
        firstLeft -= thisIter.peekLength();
        delta.ops.add(thisIter.next());
      }
      if (firstOther.length() - firstLeft > 0) {
        otherIter.next(firstOther.length() - firstLeft);
      }
    }
    while (thisIter.hasNext() || otherIter.hasNext()) {
      if (otherIter.peekType() == Op.Type.INSERT) {
        delta.push(otherIter.next());
      } else if (thisIter.peekType() == Op.Type.DELETE) {
        delta.push(thisIter.next());
      } else {
        int length = Math.min(thisIter.peekLength(), otherIter.peekLength());
        Op thisOp = thisIter.next(length);
        Op otherOp = otherIter.next(length);
        if (otherOp.isRetain()) {
          // A plain retain keeps this op as it is (the common case: a small edit composed onto a document).
          Op newOp = otherOp.attributes() == null && thisOp.length() == length ? thisOp : composed(thisOp, otherOp, length);
          delta.push(newOp);
          // The rest of other only retains: the rest of this stays as it is.
          if (!otherIter.hasNext() && Objects.equals(delta.last(), newOp)) {
            // The rest of a normalised delta is normalised: only its first op may merge with what is built.
            List<Op> rest = thisIter.rest();
            if (!rest.isEmpty()) {
              delta.push(rest.get(0));
              delta.ops.addAll(rest.subList(1, rest.size()));
            }
            return delta.buildChopped();
          }
        } else if (otherOp.isDelete() && thisOp.isRetain()) {
          delta.push(otherOp);
        }
        // an insert of this deleted by other: both vanish
      }
    }
    return delta.buildChopped();
  }

  private static Op composed(Op thisOp, Op otherOp, int length) {
    Map<String, Object> attributes = Attributes.compose(thisOp.attributes(), otherOp.attributes(), thisOp.isRetain());
    return thisOp.isRetain() ? Op.retain(length, attributes) : Op.insert(thisOp.text(), attributes);
  }

  /** The ops of {@code other} appended (the first merged if it can be). */
  public Delta concat(Delta other) {
    Builder b = new Builder();
    b.ops.addAll(ops);
    if (!other.ops.isEmpty()) {
      b.push(other.ops.get(0));
      b.ops.addAll(other.ops.subList(1, other.ops.size()));
    }
    return b.build();
  }

  /**
   * {@code other}, made concurrently with {@code this}, rewritten to apply after {@code this}.
   * With {@code priority}, {@code this} is taken to have happened first (its inserts go first).
   */
  public Delta transform(Delta other, boolean priority) {
    OpIterator thisIter = new OpIterator(ops);
    OpIterator otherIter = new OpIterator(other.ops);
    Builder delta = new Builder();
    while (thisIter.hasNext() || otherIter.hasNext()) {
      if (thisIter.peekType() == Op.Type.INSERT && (priority || otherIter.peekType() != Op.Type.INSERT)) {
        delta.retain(thisIter.next().length(), null);
      } else if (otherIter.peekType() == Op.Type.INSERT) {
        delta.push(otherIter.next());
      } else {
        int length = Math.min(thisIter.peekLength(), otherIter.peekLength());
        Op thisOp = thisIter.next(length);
        Op otherOp = otherIter.next(length);
        if (thisOp.isDelete()) {
          continue;
        }
        if (otherOp.isDelete()) {
          delta.push(otherOp);
        } else {
          delta.retain(length, Attributes.transform(thisOp.attributes(), otherOp.attributes(), priority));
        }
      }
    }
    return delta.buildChopped();
  }

  /**
   * The {@code priority} for {@link #transform} of two concurrent edits by two editors (sites): whether
   * the inserts of {@code site}'s edit go before those of {@code otherSite}'s at the same index. A fixed
   * order of the editors (their ids compared by UTF-16 code units, as JavaScript's {@code <} does), not
   * the order in which the edits arrived: two people typing at one spot then each keep their run
   * together ("PetraMaria"); taking turns by arrival interleaved them ("PMeartiraa").
   */
  public static boolean firstAtTie(String site, String otherSite) {
    return site.compareTo(otherSite) <= 0;
  }

  /** Where a position (cursor) moves when {@code this} is applied; with priority, inserts at it go after. */
  public int transformPosition(int index, boolean priority) {
    OpIterator thisIter = new OpIterator(ops);
    long offset = 0;
    while (thisIter.hasNext() && offset <= index) {
      int length = thisIter.peekLength();
      Op.Type type = thisIter.peekType();
      thisIter.next();
      if (type == Op.Type.DELETE) {
        index -= (int) Math.min(length, index - offset);
        continue;
      } else if (type == Op.Type.INSERT && (offset < index || !priority)) {
        index = Op.checkedLength((long) index + length);
      }
      offset += length;
    }
    return index;
  }

  /** The change that undoes {@code this} applied on the document {@code base}. */
  public Delta invert(Delta base) {
    Builder inverted = new Builder();
    int baseIndex = 0;
    for (Op op : ops) {
      if (op.isInsert()) {
        inverted.delete(op.length());
      } else if (op.isRetain() && op.attributes() == null) {
        inverted.retain(op.length(), null);
        baseIndex += op.length();
      } else {
        int length = op.length();
        for (Op baseOp : base.slice(baseIndex, baseIndex + length).ops) {
          if (op.isDelete()) {
            inverted.push(baseOp);
          } else {
            inverted.retain(baseOp.length(), Attributes.invert(op.attributes(), baseOp.attributes()));
          }
        }
        baseIndex += length;
      }
    }
    return inverted.buildChopped();
  }

  /** The part of this delta from {@code start} (inclusive) to {@code end} (exclusive). */
  public Delta slice(int start, int end) {
    List<Op> out = new ArrayList<>();
    OpIterator iter = new OpIterator(ops);
    int index = 0;
    while (index < end && iter.hasNext()) {
      Op next;
      if (index < start) {
        next = iter.next(start - index);
      } else {
        next = iter.next(end - index);
        out.add(next);
      }
      index += next.length();
    }
    return new Delta(out);
  }

  /** Without a trailing plain retain (it changes nothing). */
  public Delta chop() {
    if (!ops.isEmpty()) {
      Op last = ops.get(ops.size() - 1);
      if (last.isRetain() && last.attributes() == null) {
        return new Delta(new ArrayList<>(ops.subList(0, ops.size() - 1)));
      }
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Delta other && ops.equals(other.ops);
  }

  @Override
  public int hashCode() {
    return ops.hashCode();
  }

  @Override
  public String toString() {
    return ops.toString();
  }

  /** Builds a normalised delta op by op. */
  public static final class Builder {
    private final List<Op> ops = new ArrayList<>();

    public Builder insert(String text, Map<String, Object> attributes) {
      return text.isEmpty() ? this : push(Op.insert(text, attributes));
    }

    public Builder insert(String text) {
      return insert(text, null);
    }

    public Builder retain(int length, Map<String, Object> attributes) {
      return length <= 0 ? this : push(Op.retain(length, attributes));
    }

    public Builder retain(int length) {
      return retain(length, null);
    }

    public Builder delete(int length) {
      return length <= 0 ? this : push(Op.delete(length));
    }

    /** Appends an op, merging it with the last one where the format allows, and keeping inserts before deletes. */
    public Builder push(Op newOp) {
      int index = ops.size();
      Op lastOp = index > 0 ? ops.get(index - 1) : null;
      if (lastOp != null) {
        if (newOp.isDelete() && lastOp.isDelete()) {
          ops.set(index - 1, lastOp.merged(newOp));
          return this;
        }
        if (lastOp.isDelete() && newOp.isInsert()) {
          index -= 1;
          lastOp = index > 0 ? ops.get(index - 1) : null;
          if (lastOp == null) {
            ops.add(0, newOp);
            return this;
          }
        }
        if (Objects.equals(newOp.attributes(), lastOp.attributes())) {
          if (newOp.isInsert() && lastOp.isInsert() || newOp.isRetain() && lastOp.isRetain()) {
            ops.set(index - 1, lastOp.merged(newOp));
            return this;
          }
        }
      }
      ops.add(index, newOp);
      return this;
    }

    Op last() {
      return ops.isEmpty() ? null : ops.get(ops.size() - 1);
    }

    public Delta build() {
      return new Delta(new ArrayList<>(ops));
    }

    /** The delta without a trailing plain retain; hands over this builder's list, so the builder is done. */
    Delta buildChopped() {
      if (!ops.isEmpty()) {
        Op last = ops.get(ops.size() - 1);
        if (last.isRetain() && last.attributes() == null) {
          ops.remove(ops.size() - 1);
        }
      }
      return new Delta(ops);
    }
  }
}

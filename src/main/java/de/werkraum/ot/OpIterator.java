package de.werkraum.ot;

import java.util.ArrayList;
import java.util.List;

/** Walks a list of ops, handing out pieces of at most a given length (splitting ops as needed). */
final class OpIterator {

  private final List<Op> ops;
  private int index;
  private int offset;

  OpIterator(List<Op> ops) {
    this.ops = ops;
  }

  boolean hasNext() {
    return peekLength() < Integer.MAX_VALUE;
  }

  /** The next piece of at most {@code length}; past the end, an endless retain. */
  Op next(int length) {
    if (index >= ops.size()) {
      return Op.END;
    }
    Op op = ops.get(index);
    int start = offset;
    int opLength = op.length();
    int take;
    if (length >= opLength - start) {
      take = opLength - start;
      index++;
      offset = 0;
    } else {
      take = length;
      offset += length;
    }
    return op.piece(start, take);
  }

  Op next() {
    return next(Integer.MAX_VALUE);
  }

  Op peek() {
    return index < ops.size() ? ops.get(index) : null;
  }

  int peekLength() {
    return index < ops.size() ? ops.get(index).length() - offset : Integer.MAX_VALUE;
  }

  Op.Type peekType() {
    return index < ops.size() ? ops.get(index).type() : Op.Type.RETAIN;
  }

  /** What is left, without moving. */
  List<Op> rest() {
    if (!hasNext()) {
      return List.of();
    }
    if (offset == 0) {
      return new ArrayList<>(ops.subList(index, ops.size()));
    }
    int savedIndex = index;
    int savedOffset = offset;
    Op first = next();
    List<Op> rest = new ArrayList<>();
    rest.add(first);
    rest.addAll(ops.subList(index, ops.size()));
    index = savedIndex;
    offset = savedOffset;
    return rest;
  }
}

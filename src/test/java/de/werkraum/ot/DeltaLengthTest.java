package de.werkraum.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Lengths are counted exactly: sums past Op.MAX_LENGTH are refused, never wrapped around. */
class DeltaLengthTest {

  @Test
  void mergingRetainsPastTheLimitFailsInsteadOfWrapping() {
    Delta.Builder b = Delta.builder().retain(2_000_000_000);
    assertThrows(ArithmeticException.class, () -> b.retain(2_000_000_000));
  }

  @Test
  void mergingDeletesPastTheLimitFailsInsteadOfWrapping() {
    Delta.Builder b = Delta.builder().delete(Op.MAX_LENGTH);
    assertThrows(ArithmeticException.class, () -> b.delete(1));
  }

  @Test
  void mergingUpToTheLimitIsExact() {
    Delta d = Delta.builder().retain(Op.MAX_LENGTH - 1).retain(1).insert("x").build();
    assertEquals(Op.MAX_LENGTH, d.baseLength());
    assertEquals(List.of(Op.retain(Op.MAX_LENGTH, null), Op.insert("x", null)), d.ops());
  }

  @Test
  void anOpAsLongAsTheEndlessRetainIsRefused() {
    // Integer.MAX_VALUE stands for "past the end" while walking a delta; an op that long would end it early.
    assertThrows(ArithmeticException.class, () -> Op.retain(Integer.MAX_VALUE, null));
    assertThrows(ArithmeticException.class, () -> Op.delete(Integer.MAX_VALUE));
  }

  @Test
  void lengthOfOpsThatAddUpPastTheLimitFails() {
    // Not merged (an insert between), so no single op is too long, but together they are.
    Delta d = Delta.of(List.of(Op.retain(Op.MAX_LENGTH, null), Op.insert("x", null), Op.retain(Op.MAX_LENGTH, null)));
    assertThrows(ArithmeticException.class, d::length);
    Delta base = Delta.of(List.of(Op.retain(Op.MAX_LENGTH, null), Op.insert("x", null), Op.delete(5)));
    assertThrows(ArithmeticException.class, base::baseLength);
  }

  @Test
  void transformingAgainstAnInsertPastTheLimitFails() {
    // An insert before a retain of almost everything lengthens that retain past the limit: refused, not wrapped.
    Delta committed = Delta.builder().insert("Hallo").build();
    Delta edit = Delta.builder().retain(Op.MAX_LENGTH - 1).insert("x").build();
    assertThrows(ArithmeticException.class, () -> committed.transform(edit, true));
  }

  @Test
  void aPositionFarBeyondTheDocumentIsMovedExactly() {
    Delta change = Delta.builder().retain(Op.MAX_LENGTH).insert("x").build();
    assertEquals(Op.MAX_LENGTH - 5, change.transformPosition(Op.MAX_LENGTH - 5, true));
    assertThrows(ArithmeticException.class, () -> Delta.builder().insert("ab").build().transformPosition(Op.MAX_LENGTH - 1, false));
  }
}

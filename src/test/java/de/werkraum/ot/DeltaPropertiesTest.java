package de.werkraum.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Algebraic laws of the Delta operations on random documents and random concurrent changes. */
class DeltaPropertiesTest {

  @Property(tries = 2000)
  void composeIsAssociative(@ForAll long seed) {
    RandomDeltas r = new RandomDeltas(seed);
    Delta doc = r.document();
    Delta a = r.change(doc.length());
    Delta b = r.change(doc.compose(a).length());
    Delta c = r.change(doc.compose(a).compose(b).length());
    assertEquals(doc.compose(a).compose(b).compose(c), doc.compose(a.compose(b).compose(c)));
    assertEquals(a.compose(b).compose(c), a.compose(b.compose(c)));
  }

  @Property(tries = 2000)
  void appliedEqualsComposeAndKnowsItsLength(@ForAll long seed) {
    RandomDeltas r = new RandomDeltas(seed);
    Delta doc = r.document();
    doc.length();
    Delta a = r.change(doc.length());
    Delta next = doc.applied(a);
    Delta counted = Delta.of(next.ops());
    assertEquals(doc.compose(a), next);
    assertEquals(counted.length(), next.length());
    Delta b = r.change(next.length());
    assertEquals(Delta.of(next.applied(b).ops()).length(), next.applied(b).length());
  }

  @Property(tries = 2000)
  void concurrentChangesConvergeWhicheverArrivesFirst(@ForAll long seed) {
    RandomDeltas r = new RandomDeltas(seed);
    Delta doc = r.document();
    Delta a = r.change(doc.length());
    Delta b = r.change(doc.length());
    // TP1: applying a then b' equals applying b then a', with a taking priority in both.
    Delta viaA = doc.compose(a).compose(a.transform(b, true));
    Delta viaB = doc.compose(b).compose(b.transform(a, false));
    assertEquals(viaA, viaB);
    assertEquals(true, viaA.isDocument());
  }

  @Property(tries = 2000)
  void transformPositionFollowsTransform(@ForAll long seed) {
    RandomDeltas r = new RandomDeltas(seed);
    Delta doc = r.document();
    Delta a = r.change(doc.length());
    int index = r.nextInt(doc.length() + 1);
    boolean priority = r.nextBoolean();
    // A cursor at index is an insert of one marker character there; transform moves it like the cursor.
    // Ties: transformPosition with priority keeps the cursor before an insert at it, as a marker that wins would.
    Delta marker = Delta.builder().retain(index).insert("\u0000").build();
    Delta moved = a.transform(marker, !priority);
    int expected = 0;
    for (Op op : moved.ops()) {
      if (op.isInsert()) {
        break;
      }
      expected += op.length();
    }
    assertEquals(expected, a.transformPosition(index, priority));
  }

  @Property(tries = 2000)
  void invertUndoesCompose(@ForAll long seed) {
    RandomDeltas r = new RandomDeltas(seed);
    Delta doc = r.document();
    Delta a = r.change(doc.length());
    assertEquals(doc, doc.compose(a).compose(a.invert(doc)));
  }

  @Example
  void lengthsCountUtf16CodeUnitsLikeJavaScript() {
    Delta doc = Delta.builder().insert("Glück auf 😀").build();
    assertEquals(12, doc.length());
    Delta deleteEmoji = Delta.builder().retain(10).delete(2).build();
    assertEquals("Glück auf ", doc.compose(deleteEmoji).text());
  }

  @Example
  void pushKeepsInsertsBeforeDeletesAndMergesNeighbours() {
    Delta d = Delta.builder().retain(2).retain(3).delete(1).insert("a").insert("b").delete(2).build();
    assertEquals(Delta.builder().retain(5).insert("ab").delete(3).build(), d);
    assertEquals(3, d.ops().size());
  }
}

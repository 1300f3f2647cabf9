package de.werkraum.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The rule for how long cursors are gathered (docs/protocol.md, "Who is editing, and their cursors"). */
class ProfileCursorsTest {

  @Test
  void aHandfulOfEditorsGetCursorsOnTheNextTick() {
    assertEquals(0, ProfileCursors.interval(0));
    assertEquals(0, ProfileCursors.interval(4));
  }

  @Test
  void theIntervalGrowsOneMillisecondPerSocketUpToTheBrowsersSendInterval() {
    assertEquals(5, ProfileCursors.interval(5));
    assertEquals(150, ProfileCursors.interval(150));
    assertEquals(200, ProfileCursors.interval(200));
    assertEquals(200, ProfileCursors.interval(500));
  }
}

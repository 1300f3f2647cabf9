package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.web.WriteLimits.Kind;
import de.werkraum.web.WriteLimits.Rate;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets of the write limits, on a clock the test moves (no waiting, no timing). */
class WriteLimitsTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private WriteLimits limits(String setting) {
    return new WriteLimits(WriteLimits.table(setting), now::get);
  }

  private void seconds(double s) {
    now.addAndGet((long) (s * 1e9));
  }

  private static int allowed(WriteLimits limits, Kind kind, String who, long scope, int tries) {
    int ok = 0;
    for (int i = 0; i < tries; i++) {
      if (limits.take(kind, who, scope) == null) {
        ok++;
      }
    }
    return ok;
  }

  @Test
  void aBurstIsAllowedThenTheRateRefillsIt() {
    WriteLimits limits = limits("edit=4/30");
    assertEquals(4, allowed(limits, Kind.EDIT, "u1", 7, 10));
    seconds(1.9);
    assertEquals(0, allowed(limits, Kind.EDIT, "u1", 7, 1), "30 a minute: one every 2 s");
    seconds(0.1);
    assertEquals(1, allowed(limits, Kind.EDIT, "u1", 7, 5));
    seconds(600);
    assertEquals(4, allowed(limits, Kind.EDIT, "u1", 7, 10), "refills up to the burst, not beyond");
  }

  @Test
  void participantsRoomsAndKindsHaveTheirOwnBuckets() {
    WriteLimits limits = limits("edit=2/0,react=3/0");
    assertEquals(2, allowed(limits, Kind.EDIT, "u1", 7, 5));
    assertEquals(2, allowed(limits, Kind.EDIT, "u2", 7, 5), "another participant");
    assertEquals(2, allowed(limits, Kind.EDIT, "u1", 8, 5), "another room");
    assertEquals(3, allowed(limits, Kind.REACT, "u1", 7, 5), "another kind");
    seconds(3600);
    assertEquals(0, allowed(limits, Kind.EDIT, "u1", 7, 5), "a rate of 0 never refills");
  }

  @Test
  void theRefusalSaysWhatAndWhenAgain() {
    WriteLimits limits = limits("react=2/12");
    allowed(limits, Kind.REACT, "u1", 7, 2);
    seconds(1);
    ApiError refusal = limits.take(Kind.REACT, "u1", 7);
    assertNotNull(refusal);
    assertEquals("rate_limited", refusal.code());
    assertEquals(429, refusal.status());
    assertEquals("react", refusal.details().getString("kind"));
    assertEquals(2, refusal.details().getInteger("burst"));
    assertEquals(12.0, refusal.details().getDouble("perMinute"));
    // 12 a minute is one token every 5 s; 1 s of it has passed.
    assertEquals(4000, refusal.details().getLong("retryAfterMs"));
    assertEquals(4, refusal.details().getLong("retryAfter"));
    ApiError thrown = assertThrows(ApiError.class, () -> limits.check(Kind.REACT, "u1", 7));
    assertEquals("rate_limited", thrown.code());
    seconds(4);
    limits.check(Kind.REACT, "u1", 7);
  }

  @Test
  void numberedWritesOfEveryoneInARoomShareTheRoomsBucket() {
    WriteLimits limits = limits("room_events=5/0,post=3/0,react=3/0,typing=10/0");
    assertEquals(3, allowed(limits, Kind.POST, "u1", 7, 3));
    assertEquals(2, allowed(limits, Kind.REACT, "u2", 7, 3), "the room's fifth event is the last");
    ApiError refusal = limits.take(Kind.POST, "u3", 7);
    assertEquals("room_events", refusal.details().getString("kind"));
    assertEquals(10, allowed(limits, Kind.TYPING, "u3", 7, 10), "typing is not a numbered event");
    assertEquals(3, allowed(limits, Kind.POST, "u3", 8, 3), "another room");
    // A refusal by the room takes nothing from the participant: u3 still has a whole burst in room 7.
    limits.refund(Kind.POST, "u1", 7);
    assertNull(limits.take(Kind.POST, "u3", 7));
  }

  @Test
  void aRefundGivesBackOneWriteButNeverMoreThanTheBurst() {
    WriteLimits limits = limits("post=2/0");
    assertEquals(2, allowed(limits, Kind.POST, "u1", 7, 2));
    limits.refund(Kind.POST, "u1", 7);
    assertEquals(1, allowed(limits, Kind.POST, "u1", 7, 3));
    WriteLimits fresh = limits("post=2/0");
    fresh.take(Kind.POST, "u1", 7);
    fresh.refund(Kind.POST, "u1", 7);
    fresh.refund(Kind.POST, "u1", 7);
    assertEquals(2, allowed(fresh, Kind.POST, "u1", 7, 5));
  }

  @Test
  void aKindThatIsOffIsNotCounted() {
    WriteLimits limits = limits("profile_submit=off");
    assertNull(limits.rate(Kind.PROFILE_SUBMIT));
    assertEquals(10_000, allowed(limits, Kind.PROFILE_SUBMIT, "u1", 3, 10_000));
    assertEquals(0, limits.size());
  }

  @Test
  void theDefaultsHoldTheDocumentedTable() {
    WriteLimits limits = WriteLimits.defaults();
    assertEquals(new Rate(30, 30), limits.rate(Kind.POST));
    assertEquals(new Rate(10, 20), limits.rate(Kind.EDIT));
    assertEquals(new Rate(10, 20), limits.rate(Kind.DELETE));
    assertEquals(new Rate(20, 60), limits.rate(Kind.REACT));
    assertEquals(new Rate(6, 12), limits.rate(Kind.HAND));
    assertEquals(new Rate(5, 30), limits.rate(Kind.TYPING));
    assertEquals(new Rate(10, 30), limits.rate(Kind.POLL_VOTE));
    assertEquals(new Rate(5, 10), limits.rate(Kind.REPORT));
    assertEquals(new Rate(60, 1200), limits.rate(Kind.PROFILE_SUBMIT));
    assertEquals(new Rate(20, 600), limits.rate(Kind.PROFILE_CURSOR));
    assertEquals(new Rate(500, 1200), limits.rate(Kind.ROOM_EVENTS));
  }

  @Test
  void fivePeopleCannotPushARoomPastTheResumeWindowInAMinute() {
    // The case: five people toggling reactions (and doing everything else) as fast as they can.
    WriteLimits limits = WriteLimits.defaults();
    int events = 0;
    for (int tick = 0; tick < 600; tick++) {
      for (int person = 0; person < 5; person++) {
        for (Kind kind : new Kind[] {Kind.POST, Kind.EDIT, Kind.DELETE, Kind.REACT, Kind.HAND}) {
          events += allowed(limits, kind, "u" + person, 7, 50);
        }
      }
      seconds(0.1);
    }
    assertTrue(events < 5000 / 2, "at most " + events + " numbered events in 60 s");
  }

  @Test
  void fullBucketsAreDroppedWhenThereAreMany() {
    WriteLimits limits = limits("typing=2/6");
    for (int i = 0; i < 100_001; i++) {
      limits.take(Kind.TYPING, "u" + i, 1);
    }
    seconds(9);
    limits.take(Kind.TYPING, "busy", 1);
    limits.take(Kind.TYPING, "busy", 1);
    seconds(1.5);
    limits.take(Kind.TYPING, "late", 1);
    // One write every 10 s: after 10.5 s every bucket that took one write is full again and dropped; the busy one is not.
    assertEquals(2, limits.size());
    assertNotNull(limits.take(Kind.TYPING, "busy", 1), "the busy participant's bucket was kept");
  }

  @Test
  void unreadableSettingsAreRefusedAtStart() {
    for (String bad : new String[] {"edit", "edit=", "edit=0/10", "edit=5/-1", "edit=5", "shout=5/5", "edit=5/NaN", "edit=x/1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WriteLimits.fromSetting(bad), bad);
      assertTrue(e.getMessage().startsWith("WERKRAUM_WRITE_LIMITS"), e.getMessage());
    }
    assertEquals(new Rate(5, 0.5), WriteLimits.fromSetting(" edit = 5/0.5 , typing=off ").rate(Kind.EDIT));
  }
}

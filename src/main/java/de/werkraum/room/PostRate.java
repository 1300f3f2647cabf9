package de.werkraum.room;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Posts per participant per room per minute, counted on this node (fixed one-minute windows). */
public final class PostRate {

  public static final int PER_MINUTE = 30;

  private record Window(long minute, int count) {}

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /** Counts one post; false when the participant has used up this minute's posts in this room. */
  boolean tryPost(String participant, long roomId) {
    long minute = System.currentTimeMillis() / 60_000;
    AtomicBoolean ok = new AtomicBoolean();
    windows.compute(participant + "|" + roomId, (k, w) -> {
      Window current = w == null || w.minute() != minute ? new Window(minute, 0) : w;
      ok.set(current.count() < PER_MINUTE);
      return ok.get() ? new Window(minute, current.count() + 1) : current;
    });
    if (windows.size() > 50_000) {
      windows.values().removeIf(w -> w.minute() < minute);
    }
    return ok.get();
  }
}

package de.werkraum.web.socket;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Open connections per participant on this node (shared by the node's gateway instances). Counts, not sockets. */
public final class ConnectionCounter {

  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  public boolean tryOpen(String participant, int max) {
    AtomicBoolean ok = new AtomicBoolean();
    open.compute(participant, (k, n) -> {
      int count = n == null ? 0 : n;
      ok.set(count < max);
      return ok.get() ? count + 1 : count;
    });
    return ok.get();
  }

  public void closed(String participant) {
    open.computeIfPresent(participant, (k, n) -> n <= 1 ? null : n - 1);
  }
}

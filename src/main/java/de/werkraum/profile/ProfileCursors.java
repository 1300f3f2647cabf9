package de.werkraum.profile;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The cursors that this gateway instance's editors of one profile sent, relayed together: the latest per
 * participant, as one {@code profile_cursors} frame per {@link #interval(int) interval}. Relaying each
 * cursor on its own would send every editor a frame for every move of every other editor: with 500
 * editors, each sending up to 5 a second, 1.25 million frames a second. Owned by one event loop.
 */
final class ProfileCursors {

  /** Below this many sockets on the profile, cursors go out on the next tick, as soon as they came. */
  static final int LIVE_BELOW = 5;
  /** The longest a cursor waits: as often as a browser sends its own. */
  static final long MAX_INTERVAL_MS = 200;

  private final Vertx vertx;
  private final long profileId;
  private final Consumer<JsonObject> relay;
  private final IntSupplier sockets;
  private final Map<String, JsonObject> latest = new LinkedHashMap<>();
  private boolean scheduled;
  private long timer = -1;
  private boolean closed;

  /**
   * @param relay   sends a frame to every socket with the profile open, on any instance
   * @param sockets how many sockets have the profile open (as far as this instance knows)
   */
  ProfileCursors(Vertx vertx, long profileId, Consumer<JsonObject> relay, IntSupplier sockets) {
    this.vertx = vertx;
    this.profileId = profileId;
    this.relay = relay;
    this.sockets = sockets;
  }

  /**
   * How long cursors are gathered, with n sockets on the profile: none below {@value #LIVE_BELOW}, else
   * 1 ms per socket, at most {@value #MAX_INTERVAL_MS} ms. Each flush is one frame to every socket, so
   * the frames that one instance's flushes cause stay at most n per n ms (1,000 a second) up to 200
   * sockets, and above that n × 5 a second, the rate at which browsers send their cursors anyway; a
   * cursor is late by at most as many milliseconds as there are editors (10 ms for 10).
   */
  static long interval(int sockets) {
    return sockets < LIVE_BELOW ? 0 : Math.min(MAX_INTERVAL_MS, sockets);
  }

  /** A participant's cursor moved; {@code entry} is what the frame carries for it. */
  void moved(String participantKey, JsonObject entry) {
    if (closed) {
      return;
    }
    latest.remove(participantKey); // in order of their latest move
    latest.put(participantKey, entry);
    if (scheduled) {
      return;
    }
    scheduled = true;
    long wait = interval(sockets.getAsInt());
    if (wait == 0) {
      vertx.runOnContext(v -> flush());
    } else {
      timer = vertx.setTimer(wait, t -> {
        timer = -1;
        flush();
      });
    }
  }

  /**
   * A participant left this instance: their cursor is not sent any more, the others' go now, before the
   * presence list that tells everyone who left.
   */
  void left(String participantKey) {
    latest.remove(participantKey);
    flush();
  }

  /** Sends what was gathered; then nothing more (the channel closes). */
  void close() {
    flush();
    closed = true;
  }

  private void flush() {
    scheduled = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (closed || latest.isEmpty()) {
      return;
    }
    JsonArray cursors = new JsonArray();
    latest.values().forEach(cursors::add);
    latest.clear();
    relay.accept(new JsonObject().put("type", "profile_cursors").put("profile", profileId).put("cursors", cursors));
  }
}

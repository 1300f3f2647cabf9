package de.werkraum.web.socket;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Who is present in one room or profile, across all gateway instances and nodes, without storing
 * anything: each instance publishes its own entries on the presence address whenever they change (and
 * every {@link #REFRESH_MS} as a heartbeat) and merges what it hears; a new instance asks the others to
 * publish; lists not refreshed within {@link #STALE_MS} (a node that died) are dropped. Short notices
 * (typing, gathered cursors) travel the same address to every socket. Changes are sent on together: with n
 * people present, at most one list per 2·n ms (at most one a second), so that 500 people opening the same
 * profile do not send each other 500 lists of 500 each. Owned by one event loop.
 */
public final class Presence {

  public static final long REFRESH_MS = 30_000;
  public static final long STALE_MS = 75_000;
  static final long LINGER_MS = 5_000;

  private record Heard(JsonArray entries, long at) {}

  private final Vertx vertx;
  private final String address;
  private final String instanceId;
  private final Function<JsonArray, String> listFrame;
  private final Consumer<String> toSockets;
  private final Consumer<JsonArray> mirror;
  private final Map<String, JsonObject> local = new LinkedHashMap<>();
  private final Map<String, Heard> remote = new HashMap<>();
  private final MessageConsumer<JsonObject> consumer;
  private final long refreshTimer;
  private JsonArray lastMerged = new JsonArray();
  private boolean stopped;
  private long changeTimer = -1;
  private boolean ownChanged;

  /** Per person present, how long changes are gathered before the list is sent on. */
  static final long GATHER_MS_PER_PERSON = 2;
  static final long GATHER_MS_MAX = 1_000;

  /**
   * @param listFrame turns the merged list into the frame sockets get
   * @param mirror    told the merged list whenever it changes (may be null)
   */
  public Presence(Vertx vertx, String address, String instanceId, Function<JsonArray, String> listFrame,
      Consumer<String> toSockets, Consumer<JsonArray> mirror) {
    this.vertx = vertx;
    this.address = address;
    this.instanceId = instanceId;
    this.listFrame = listFrame;
    this.toSockets = toSockets;
    this.mirror = mirror;
    this.consumer = vertx.eventBus().consumer(address, msg -> onMessage(msg.body()));
    this.refreshTimer = vertx.setPeriodic(REFRESH_MS, t -> {
      long cutoff = System.currentTimeMillis() - STALE_MS;
      remote.values().removeIf(h -> h.at() < cutoff);
      publish(false);
      changed();
    });
  }

  public Future<Void> start() {
    return consumer.completion().onSuccess(v -> publish(true));
  }

  public boolean has(String key) {
    return local.containsKey(key);
  }

  /** Adds or replaces this instance's entry for a participant. */
  public void put(String key, JsonObject entry) {
    if (!stopped && !entry.equals(local.get(key))) {
      local.put(key, entry);
      soon(true);
    }
  }

  public void remove(String key) {
    if (!stopped && local.remove(key) != null) {
      soon(true);
    }
  }

  /** Publishes this instance's list (if it changed) and tells the sockets, now or after gathering more changes. */
  private void soon(boolean own) {
    ownChanged |= own;
    if (changeTimer >= 0) {
      return;
    }
    long gather = Math.min(GATHER_MS_MAX, GATHER_MS_PER_PERSON * Math.max(lastMerged.size(), local.size()));
    if (gather < 5) {
      settle();
    } else {
      changeTimer = vertx.setTimer(gather, t -> {
        changeTimer = -1;
        settle();
      });
    }
  }

  private void settle() {
    if (stopped) {
      return;
    }
    if (ownChanged) {
      ownChanged = false;
      publish(false);
    }
    changed();
  }

  /** Sends a frame to every socket present on any instance (typing, cursors). */
  public void relay(JsonObject frame) {
    if (stopped) {
      return;
    }
    vertx.eventBus().publish(address, new JsonObject().put("notice", frame));
  }

  /** How many are present on any instance, as last sent to the sockets. */
  public int size() {
    return Math.max(lastMerged.size(), local.size());
  }

  /** Everyone present on any instance, one entry per participant, sorted by name. */
  public JsonArray merged() {
    Map<String, JsonObject> all = new HashMap<>(local);
    for (Heard h : remote.values()) {
      for (Object o : h.entries()) {
        JsonObject e = (JsonObject) o;
        all.putIfAbsent(e.getString("key"), e);
      }
    }
    List<JsonObject> list = new ArrayList<>(all.values());
    list.sort((a, b) -> a.getString("name").compareToIgnoreCase(b.getString("name")));
    return new JsonArray(new ArrayList<>(list));
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(refreshTimer);
    vertx.cancelTimer(changeTimer);
    local.clear();
    publish(false);
    // Lists from other instances may still be on their way; a consumer gone already would make the event
    // bus log each as discarded (hundreds of lines when many leave at once). Stopped, this one ignores them.
    vertx.setTimer(LINGER_MS, t -> consumer.unregister());
    if (mirror != null) {
      mirror.accept(new JsonArray());
    }
  }

  private void publish(boolean query) {
    JsonObject msg = new JsonObject().put("instance", instanceId).put("entries", new JsonArray(new ArrayList<>(local.values())));
    if (query) {
      msg.put("query", true);
    }
    vertx.eventBus().publish(address, msg);
  }

  private void onMessage(JsonObject msg) {
    if (stopped) {
      return;
    }
    JsonObject notice = msg.getJsonObject("notice");
    if (notice != null) {
      toSockets.accept(notice.encode());
      return;
    }
    String from = msg.getString("instance");
    if (instanceId.equals(from)) {
      return;
    }
    JsonArray entries = msg.getJsonArray("entries");
    if (entries.isEmpty()) {
      remote.remove(from);
    } else {
      remote.put(from, new Heard(entries, System.currentTimeMillis()));
    }
    if (msg.getBoolean("query", false) && !local.isEmpty()) {
      publish(false);
    }
    soon(false);
  }

  private void changed() {
    JsonArray now = merged();
    if (!now.equals(lastMerged)) {
      lastMerged = now;
      toSockets.accept(listFrame.apply(now));
      if (mirror != null) {
        mirror.accept(now);
      }
    }
  }
}

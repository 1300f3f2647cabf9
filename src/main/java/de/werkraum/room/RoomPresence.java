package de.werkraum.room;

import de.werkraum.account.Participant;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who is in a room now, across all gateway instances and nodes, without storing anything: each instance
 * publishes its own list of participants on the room's presence address whenever it changes (and every
 * {@link #REFRESH_MS} as a heartbeat), and merges the lists it hears. A new instance asks the others to
 * publish. Lists not refreshed within {@link #STALE_MS} (a node that died) are dropped. Typing notices
 * travel the same address.
 */
final class RoomPresence {

  static final long REFRESH_MS = 30_000;
  static final long STALE_MS = 75_000;

  private record Heard(JsonArray members, long at) {}

  private final Vertx vertx;
  private final long roomId;
  private final String instanceId;
  private final Consumer<String> toSockets;
  private final Map<String, JsonObject> local = new LinkedHashMap<>();
  private final Map<String, Heard> remote = new HashMap<>();
  private final MessageConsumer<JsonObject> consumer;
  private final long refreshTimer;
  private JsonArray lastMerged = new JsonArray();

  RoomPresence(Vertx vertx, long roomId, String instanceId, Consumer<String> toSockets) {
    this.vertx = vertx;
    this.roomId = roomId;
    this.instanceId = instanceId;
    this.toSockets = toSockets;
    this.consumer = vertx.eventBus().consumer(Events.presenceAddress(roomId), msg -> onMessage(msg.body()));
    this.refreshTimer = vertx.setPeriodic(REFRESH_MS, t -> {
      long cutoff = System.currentTimeMillis() - STALE_MS;
      remote.values().removeIf(h -> h.at() < cutoff);
      publish(false);
      changed();
    });
  }

  Future<Void> start() {
    return consumer.completion().onSuccess(v -> publish(true));
  }

  void joined(Participant p, String role) {
    if (!local.containsKey(p.key())) {
      JsonObject entry = new JsonObject().put("key", p.key()).put("name", p.name()).put("role", role).put("guest", p.isGuest());
      if (p.userId() != null) {
        entry.put("userId", p.userId());
      }
      local.put(p.key(), entry);
      publish(false);
      changed();
    }
  }

  void left(Participant p) {
    if (local.remove(p.key()) != null) {
      publish(false);
      changed();
    }
  }

  void typing(Participant p) {
    vertx.eventBus().publish(Events.presenceAddress(roomId), new JsonObject()
        .put("typing", new JsonObject().put("key", p.key()).put("name", p.name())));
  }

  /** Everyone present on any instance, one entry per participant, sorted by name. */
  JsonArray merged() {
    Map<String, JsonObject> all = new HashMap<>(local);
    for (Heard h : remote.values()) {
      all.putAll(RoomChannel.byKey(h.members()));
    }
    return RoomChannel.sorted(all);
  }

  void stop() {
    vertx.cancelTimer(refreshTimer);
    local.clear();
    publish(false);
    consumer.unregister();
  }

  private void publish(boolean query) {
    JsonObject msg = new JsonObject().put("instance", instanceId).put("members", new JsonArray(new java.util.ArrayList<>(local.values())));
    if (query) {
      msg.put("query", true);
    }
    vertx.eventBus().publish(Events.presenceAddress(roomId), msg);
  }

  private void onMessage(JsonObject msg) {
    JsonObject typing = msg.getJsonObject("typing");
    if (typing != null) {
      toSockets.accept(new JsonObject().put("type", "typing").put("room", roomId).put("participant", typing).encode());
      return;
    }
    String from = msg.getString("instance");
    if (instanceId.equals(from)) {
      return;
    }
    JsonArray members = msg.getJsonArray("members");
    if (members.isEmpty()) {
      remote.remove(from);
    } else {
      remote.put(from, new Heard(members, System.currentTimeMillis()));
    }
    if (msg.getBoolean("query", false) && !local.isEmpty()) {
      publish(false);
    }
    changed();
  }

  private void changed() {
    JsonArray now = merged();
    if (!now.equals(lastMerged)) {
      lastMerged = now;
      toSockets.accept(new JsonObject().put("type", "presence").put("room", roomId).put("members", now).encode());
    }
  }
}

package de.werkraum.profile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who has which profile open right now, as this node's profile channels last heard it (their presence
 * lists already merge all nodes). Read by the profile list; written by the channels' event loops.
 */
public final class ProfileEditing {

  private final ConcurrentHashMap<Long, ConcurrentHashMap<String, JsonArray>> byProfile = new ConcurrentHashMap<>();

  void update(long profileId, String instanceId, JsonArray editors) {
    if (editors.isEmpty()) {
      byProfile.computeIfPresent(profileId, (id, m) -> {
        m.remove(instanceId);
        return m.isEmpty() ? null : m;
      });
    } else {
      byProfile.computeIfAbsent(profileId, id -> new ConcurrentHashMap<>()).put(instanceId, editors);
    }
  }

  /** The editors of a profile, one entry per participant: {@code [{"userId","name","color"}]}. */
  JsonArray editors(long profileId) {
    Map<String, JsonObject> merged = new LinkedHashMap<>();
    Map<String, JsonArray> lists = byProfile.get(profileId);
    if (lists != null) {
      for (JsonArray list : lists.values()) {
        for (Object o : list) {
          JsonObject e = (JsonObject) o;
          merged.putIfAbsent(e.getString("key"), new JsonObject().put("userId", e.getLong("userId"))
              .put("name", e.getString("name")).put("color", e.getString("color")));
        }
      }
    }
    return new JsonArray(new java.util.ArrayList<>(merged.values()));
  }
}

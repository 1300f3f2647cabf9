package de.werkraum.ot;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Deltas to and from the JSON form quill-delta uses, for the oracle test. */
final class DeltaJson {

  private DeltaJson() {}

  static JsonArray toJson(Delta delta) {
    return de.werkraum.profile.DeltaCodec.write(delta);
  }

  /** Raw ops as quill-delta returned them (no normalisation: its output must already be normal). */
  static List<Op> fromJson(JsonArray array) {
    List<Op> ops = new ArrayList<>();
    for (Object item : array) {
      JsonObject o = (JsonObject) item;
      Map<String, Object> attrs = null;
      if (o.getJsonObject("attributes") != null) {
        attrs = new HashMap<>();
        for (Map.Entry<String, Object> e : o.getJsonObject("attributes")) {
          Object v = e.getValue();
          attrs.put(e.getKey(), v instanceof Number n ? (Object) n.longValue() : v);
        }
      }
      if (o.containsKey("insert")) {
        ops.add(Op.insert(o.getString("insert"), attrs));
      } else if (o.containsKey("retain")) {
        ops.add(Op.retain(o.getInteger("retain"), attrs));
      } else {
        ops.add(Op.delete(o.getInteger("delete")));
      }
    }
    return ops;
  }
}

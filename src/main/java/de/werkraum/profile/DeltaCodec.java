package de.werkraum.profile;

import de.werkraum.ot.Delta;
import de.werkraum.ot.Op;
import de.werkraum.web.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** Deltas to and from their JSON form (Quill's), refusing anything that is not a well-formed delta. */
public final class DeltaCodec {

  public static final int MAX_OPS = 1_000;

  private DeltaCodec() {}

  /** A stored or server-made delta (a whole document may have many runs). */
  public static Delta read(Object json) {
    return read(json, Integer.MAX_VALUE);
  }

  /** A client's edit: at most {@code maxOps} ops. */
  public static Delta read(Object json, int maxOps) {
    if (!(json instanceof JsonArray array)) {
      throw invalid("must be a list of ops");
    }
    if (array.size() > maxOps) {
      throw invalid("has more than " + maxOps + " ops");
    }
    Delta.Builder b = Delta.builder();
    for (Object item : array) {
      if (!(item instanceof JsonObject o)) {
        throw invalid("ops must be objects");
      }
      Map<String, Object> attrs = attributes(o.getValue("attributes"));
      int kinds = (o.containsKey("insert") ? 1 : 0) + (o.containsKey("retain") ? 1 : 0) + (o.containsKey("delete") ? 1 : 0);
      if (kinds != 1) {
        throw invalid("each op has exactly one of insert, retain, delete");
      }
      if (o.containsKey("insert")) {
        if (!(o.getValue("insert") instanceof String text) || text.isEmpty()) {
          throw invalid("insert must be a non-empty string");
        }
        b.push(Op.insert(text, attrs));
      } else if (o.containsKey("retain")) {
        b.push(Op.retain(count(o.getValue("retain")), attrs));
      } else {
        if (attrs != null) {
          throw invalid("delete takes no attributes");
        }
        b.push(Op.delete(count(o.getValue("delete"))));
      }
    }
    return b.build();
  }

  public static JsonArray write(Delta delta) {
    JsonArray ops = new JsonArray();
    for (Op op : delta.ops()) {
      JsonObject o = new JsonObject();
      switch (op.type()) {
        case INSERT -> o.put("insert", op.text());
        case RETAIN -> o.put("retain", op.length());
        case DELETE -> o.put("delete", op.length());
      }
      if (op.attributes() != null) {
        JsonObject attrs = new JsonObject();
        op.attributes().forEach(attrs::put);
        o.put("attributes", attrs);
      }
      ops.add(o);
    }
    return ops;
  }

  private static int count(Object value) {
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1 || n.longValue() > Integer.MAX_VALUE) {
      throw invalid("retain and delete must be positive integers");
    }
    return n.intValue();
  }

  private static Map<String, Object> attributes(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject o)) {
      throw invalid("attributes must be an object");
    }
    Map<String, Object> attrs = new HashMap<>();
    for (Map.Entry<String, Object> e : o) {
      Object v = e.getValue();
      if (v instanceof Number n) {
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
          throw invalid("attribute numbers must be integers");
        }
        v = n.longValue();
      } else if (v != null && !(v instanceof String) && !(v instanceof Boolean)) {
        throw invalid("attribute values must be text, numbers, true/false or null");
      }
      attrs.put(e.getKey(), v);
    }
    return attrs;
  }

  private static ApiError invalid(String why) {
    return new ApiError(400, "invalid_delta", "The delta " + why, "delta");
  }
}

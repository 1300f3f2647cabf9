package de.werkraum.profile;

import de.werkraum.ot.Delta;
import de.werkraum.ot.Op;
import de.werkraum.web.ApiError;
import de.werkraum.web.Field;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Deltas to and from their JSON form (Quill's), refusing anything that is not a well-formed delta: lengths
 * that add up past {@link Op#MAX_LENGTH} ({@code invalid_delta}), and text PostgreSQL cannot store
 * ({@code invalid_text}) before it can reach a commit group and fail the others' edits with it.
 */
public final class DeltaCodec {

  public static final int MAX_OPS = 1_000;
  /** Largest attribute number (JavaScript's safe integers): beyond it, numbers are refused, not rounded. */
  static final double MAX_SAFE_INTEGER = 9_007_199_254_740_991d;

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
    // Every length of the delta added up (exactly): merging ops, or any later sum, can then never wrap around.
    long total = 0;
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
        checkText(text, "delta");
        total = added(total, text.length());
        b.push(Op.insert(text, attrs));
      } else if (o.containsKey("retain")) {
        int n = count(o.getValue("retain"));
        total = added(total, n);
        b.push(Op.retain(n, attrs));
      } else {
        if (attrs != null) {
          throw invalid("delete takes no attributes");
        }
        int n = count(o.getValue("delete"));
        total = added(total, n);
        b.push(Op.delete(n));
      }
    }
    return b.build();
  }

  private static long added(long total, int length) {
    long sum = total + length;
    if (sum > Op.MAX_LENGTH) {
      throw invalid("has lengths that add up past " + Op.MAX_LENGTH);
    }
    return sum;
  }

  /** Refuses text PostgreSQL cannot store as it is (the one rule of {@link Field#storable}). */
  static void checkText(String text, String field) {
    if (!Field.storable(text)) {
      throw Field.invalidText(field);
    }
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
    // Compared as a double: a huge number (2^64 + 1) must not be taken for its low bits.
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1 || n.doubleValue() > Op.MAX_LENGTH) {
      throw invalid("retain and delete must be integers from 1 to " + Op.MAX_LENGTH);
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
      checkText(e.getKey(), "delta");
      Object v = e.getValue();
      if (v instanceof String text) {
        checkText(text, "delta");
      }
      if (v instanceof Number n) {
        if (n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > MAX_SAFE_INTEGER) {
          throw invalid("attribute numbers must be integers of at most 2^53 - 1");
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

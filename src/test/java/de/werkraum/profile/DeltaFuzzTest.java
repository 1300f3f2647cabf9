package de.werkraum.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import de.werkraum.ot.Delta;
import de.werkraum.ot.Op;
import de.werkraum.web.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * Random JSON as the {@code delta} of a {@code profile_submit}, through every check an edit passes on its
 * way into a document: {@link DeltaCodec#read}, {@link ProfileFields#checkAndStamp} and the engine's
 * {@link ProfileEngine#checkedApply}. Each input is either refused with one of the codes docs/protocol.md
 * names for an edit, or it is a valid delta whose result is a document of exactly the expected length,
 * and which survives its own JSON form unchanged. Nothing else (an exception of another kind, a negative
 * or wrapped length) may come out.
 */
class DeltaFuzzTest {

  static final Set<String> EDIT_CODES = Set.of("invalid_delta", "invalid_text", "invalid_attributes", "insert_too_large", "delta_mismatch", "field_too_long");
  static final List<String> KEYS = List.of("insert", "retain", "delete", "attributes", "bold", "italic", "link", "header", "list", "author", "x");

  @FuzzTest(maxDuration = "4s")
  void randomDeltaIsRefusedWithItsCodeOrAppliesToTheDocument(FuzzedDataProvider data) {
    String field = ProfileFields.FIELDS.get(data.consumeInt(0, ProfileFields.FIELDS.size() - 1));
    String existing = data.consumeString(300);
    Delta doc = existing.isEmpty() ? Delta.EMPTY : Delta.builder().insert(existing).build();
    Object json = randomOps(data);
    Delta delta;
    Delta next;
    try {
      Delta read = DeltaCodec.read(json, DeltaCodec.MAX_OPS);
      assertEquals(read, DeltaCodec.read(DeltaCodec.write(read)), "a read delta survives its JSON form");
      delta = ProfileFields.checkAndStamp(field, read, "u1");
      next = ProfileEngine.checkedApply(field, doc, delta);
    } catch (ApiError e) {
      assertTrue(EDIT_CODES.contains(e.code()), "undocumented code " + e.code());
      assertEquals("delta", e.field());
      return;
    }
    long inserted = 0;
    long deleted = 0;
    long retained = 0;
    for (Op op : delta.ops()) {
      assertTrue(op.length() > 0, "every op has a positive length");
      switch (op.type()) {
        case INSERT -> inserted += op.length();
        case DELETE -> deleted += op.length();
        case RETAIN -> retained += op.length();
      }
    }
    String shown = String.valueOf(json).length() > 500 ? String.valueOf(json).substring(0, 500) + "…" : String.valueOf(json);
    assertTrue(retained + deleted <= doc.length(), () -> "the delta stays inside the document of " + doc.length() + ": " + shown);
    assertEquals(delta.baseLength(), retained + deleted, () -> "exact base length: " + shown);
    assertTrue(next.isDocument(), () -> "the result is a document: " + shown);
    assertEquals(doc.length() - deleted + inserted, next.length(), () -> "exact length after the edit: " + shown);
    int max = ProfileFields.TITLE.equals(field) ? ProfileFields.MAX_TITLE_LENGTH : ProfileFields.MAX_FIELD_LENGTH;
    assertTrue(next.length() <= max);
  }

  /** Mostly op-shaped JSON (so that deep checks are reached), sometimes anything at all. */
  private static Object randomOps(FuzzedDataProvider data) {
    // Exhausted data reads as zeros: let zeros mean op-shaped JSON, so that short inputs reach deep checks.
    if (data.consumeInt(0, 15) == 15) {
      return randomValue(data, 2);
    }
    JsonArray ops = new JsonArray();
    int n = data.consumeInt(0, 12);
    for (int i = 0; i < n; i++) {
      if (data.consumeInt(0, 15) == 15) {
        ops.add(randomValue(data, 2));
        continue;
      }
      JsonObject op = new JsonObject();
      int keys = data.consumeInt(1, 3);
      for (int k = 0; k < keys; k++) {
        String key = KEYS.get(data.consumeInt(0, 3));
        op.put(key, "attributes".equals(key) ? randomAttributes(data) : randomValue(data, 1));
      }
      ops.add(op);
    }
    return ops;
  }

  private static JsonObject randomAttributes(FuzzedDataProvider data) {
    JsonObject attrs = new JsonObject();
    int n = data.consumeInt(0, 3);
    for (int i = 0; i < n; i++) {
      attrs.put(KEYS.get(data.consumeInt(4, KEYS.size() - 1)), randomValue(data, 1));
    }
    return attrs;
  }

  private static Object randomValue(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth > 0 ? 11 : 9)) {
      case 0 -> null;
      case 1 -> data.consumeBoolean();
      case 2 -> data.consumeInt(-3, 40);
      case 3 -> data.consumeInt();
      case 4 -> data.consumeLong();
      case 5 -> data.consumeDouble();
      case 6 -> new BigInteger(1, data.consumeBytes(12));
      case 7 -> new BigDecimal(data.consumeInt(0, 1 << 20)).movePointLeft(data.consumeInt(0, 3));
      case 8 -> data.consumeString(20);
      case 9 -> List.of("https://a.de", "mailto:x@y.de", "javascript:x", "bullet", "ordered", "").get(data.consumeInt(0, 5));
      case 10 -> new JsonArray().add(randomValue(data, depth - 1));
      default -> new JsonObject().put(KEYS.get(data.consumeInt(0, KEYS.size() - 1)), randomValue(data, depth - 1));
    };
  }
}

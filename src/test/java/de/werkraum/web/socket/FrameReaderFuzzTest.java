package de.werkraum.web.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import de.werkraum.web.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Any bytes a client can send as a text message: the frame reader either refuses them as not UTF-8
 * (exactly when they are not: the oracle is the JDK's lenient decoder, which must round-trip), or reads
 * a request, or refuses it with one of the documented envelope codes; the field readers every handler
 * uses answer a value or one of their documented codes. Nothing else may escape.
 * In the build each run fuzzes for a few seconds after its corpus ({@code FrameReaderFuzzTestInputs/});
 * {@code bench/fuzz.sh} fuzzes for longer.
 */
class FrameReaderFuzzTest {

  /** The codes docs/protocol.md names for a frame that is not a request, and for a bad field. */
  static final Set<String> ENVELOPE_CODES = Set.of("malformed_json", "missing_field", "invalid_field", "invalid_text");
  static final Set<String> FIELD_CODES = Set.of("missing_field", "invalid_field", "invalid_text", "field_too_long");

  @FuzzTest(maxDuration = "4s")
  @DictionaryEntries({"{\"id\":", "\"type\":", "\"ping\"", "\"room\":", "\"ids\":[", "\"text\":\"", "\\u0000", "\\ud800",
      "1e400", "-0", "18446744073709551617", "9223372036854775808", "null", "true", "[]", "{}", "\u00e4", "\ud83d\ude00"})
  void everyMessageIsReadOrRefusedWithADocumentedAnswer(byte[] bytes) {
    String text = FrameReader.utf8(bytes);
    boolean wellFormed = Arrays.equals(new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), bytes);
    assertEquals(wellFormed, text != null, "strict UTF-8 agrees with the JDK's round trip");
    if (text == null) {
      return;
    }
    assertArrayEquals(bytes, text.getBytes(StandardCharsets.UTF_8), "nothing repaired or replaced");
    FrameReader.Read read = FrameReader.request(text);
    if (read.error() != null) {
      assertNull(read.request());
      assertTrue(ENVELOPE_CODES.contains(read.error().code()), read.error().code());
      assertEquals(400, read.error().status());
      return;
    }
    Request request = read.request();
    assertNotNull(request);
    assertTrue(request.id() instanceof String || request.id() instanceof Number);
    assertSame(request.type(), request.body().getValue("type"));
    for (String field : new String[] {"room", "type", "id", "text", "ids", "since"}) {
      fieldReaders(request, field);
    }
  }

  /** Each reader answers a value of its kind or throws one of the field codes, naming the field. */
  private static void fieldReaders(Request request, String field) {
    try {
      Long value = request.optionalId(field);
      assertTrue(value == null || value >= 0);
    } catch (ApiError e) {
      assertFieldError(e, field);
    }
    try {
      assertNotNull(request.text(field));
    } catch (ApiError e) {
      assertFieldError(e, field);
    }
    try {
      for (long id : request.ids(field, 50)) {
        assertTrue(id >= 1);
      }
    } catch (ApiError e) {
      assertFieldError(e, field);
    }
  }

  private static void assertFieldError(ApiError e, String field) {
    assertTrue(FIELD_CODES.contains(e.code()), e.code());
    assertEquals(field, e.field());
  }
}

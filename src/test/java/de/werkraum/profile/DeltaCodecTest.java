package de.werkraum.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import de.werkraum.ot.Delta;
import de.werkraum.web.ApiError;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

/** What the codec refuses in a client's delta, with which code. */
class DeltaCodecTest {

  private static String code(String json) {
    return assertThrows(ApiError.class, () -> DeltaCodec.read(new JsonArray(json), DeltaCodec.MAX_OPS)).code();
  }

  @Test
  void retainsThatAddUpPastTheLimitAreRefused() {
    assertEquals("invalid_delta", code("[{\"retain\":2000000000},{\"retain\":2000000000}]"));
    assertEquals("invalid_delta", code("[{\"delete\":2147483646},{\"delete\":1}]"));
    assertEquals("invalid_delta", code("[{\"retain\":2147483646},{\"insert\":\"x\"}]"));
    assertEquals("invalid_delta", code("[{\"retain\":2147483000,\"attributes\":{\"bold\":true}},{\"retain\":2147483000}]"));
  }

  @Test
  void countsAtTheEdgeOfTheRange() {
    assertEquals("invalid_delta", code("[{\"retain\":2147483647}]"));
    assertEquals("invalid_delta", code("[{\"retain\":18446744073709551617}]"), "2^64 + 1 is not 1");
    assertEquals("invalid_delta", code("[{\"delete\":4294967297}]"), "2^32 + 1 is not 1");
    assertEquals("invalid_delta", code("[{\"retain\":1e300}]"));
    Delta d = DeltaCodec.read(new JsonArray("[{\"retain\":2147483645},{\"insert\":\"x\"}]"), DeltaCodec.MAX_OPS);
    assertEquals(2147483646, d.length());
  }

  @Test
  void hugeAttributeNumbersAreRefusedNotRounded() {
    assertEquals("invalid_delta", code("[{\"insert\":\"x\",\"attributes\":{\"header\":18446744073709551617}}]"));
  }

  @Test
  void textPostgresCannotStoreIsRefused() {
    assertEquals("invalid_text", code("[{\"insert\":\"a\\u0000b\"}]"));
    assertEquals("invalid_text", code("[{\"insert\":\"a\\ud800b\"}]"), "a lone high surrogate");
    assertEquals("invalid_text", code("[{\"insert\":\"\\udc00\"}]"), "a lone low surrogate");
    assertEquals("invalid_text", code("[{\"insert\":\"x\\ud83d\"}]"), "a high surrogate at the end");
    assertEquals("invalid_text", code("[{\"insert\":\"x\",\"attributes\":{\"link\":\"https://a.de/\\u0000\"}}]"));
    assertEquals("invalid_text", code("[{\"retain\":1,\"attributes\":{\"link\":\"https://a.de/\\udfff\"}}]"));
    assertEquals("invalid_text", code("[{\"insert\":\"x\",\"attributes\":{\"bo\\u0000ld\":true}}]"));
  }

  @Test
  void pairedSurrogatesAndOtherCharactersAreText() {
    Delta d = DeltaCodec.read(new JsonArray("[{\"insert\":\"Grüße \\ud83d\\ude00 \\u0001\\ufffe\"}]"), DeltaCodec.MAX_OPS);
    assertEquals("Grüße 😀 \u0001\ufffe", d.text());
  }
}

package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.web.socket.Request;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The one reader of outside text and numbers: what it refuses, and what it lets through unchanged. */
class FieldTest {

  @Test
  void textWithNulOrAnUnpairedSurrogateIsNotStorable() {
    assertFalse(Field.storable("a\u0000b"));
    assertFalse(Field.storable("\ud800"));
    assertFalse(Field.storable("x\udc00"));
    assertFalse(Field.storable("\ud83d"), "a high surrogate at the end");
    assertFalse(Field.storable("\udc00\ud800"), "a pair in the wrong order");
    assertFalse(Field.storable("\ud800\ud800\udc00"), "a high surrogate followed by a pair");
  }

  @Test
  void everyOtherCodePointIsStorable() {
    assertTrue(Field.storable(""));
    assertTrue(Field.storable("Zeche Zollverein \ud83d\ude00"), "a pair (emoji) is one code point");
    assertTrue(Field.storable("\uffff\ufffe\ufdd0\ud83f\udffe"), "non-characters");
    assertTrue(Field.storable("\u0001\u001f\u007f\u0085\u200b\ufeff"), "other control and format characters");
    assertTrue(Field.storable("\ufffd"));
  }

  @Test
  void textMustBeAStringAndStorable() {
    assertEquals("Ruhr", Field.text("name", "Ruhr"));
    assertEquals("invalid_field", assertThrows(ApiError.class, () -> Field.text("name", 42)).code());
    ApiError e = assertThrows(ApiError.class, () -> Field.text("name", "Ru\u0000hr"));
    assertEquals("invalid_text", e.code());
    assertEquals("name", e.field());
    assertEquals(400, e.status());
  }

  @Test
  void integersMustBeExactAndInRange() {
    assertEquals(1L, Field.integer("room", 1, 1, Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, Field.integer("room", Long.MAX_VALUE, 1, Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, Field.integer("room", BigInteger.valueOf(Long.MAX_VALUE), 1, Long.MAX_VALUE));
    for (Object bad : new Object[] {0, -1, 1.5, 1.0, 1e3, Double.NaN, "1", true,
        BigInteger.TWO.pow(64).add(BigInteger.ONE), BigInteger.TWO.pow(63), BigInteger.TWO.pow(64).negate()}) {
      ApiError e = assertThrows(ApiError.class, () -> Field.integer("room", bad, 1, Long.MAX_VALUE), String.valueOf(bad));
      assertEquals("invalid_field", e.code());
      assertEquals("room", e.field());
    }
    assertEquals("invalid_field", assertThrows(ApiError.class, () -> Field.integer("v", 2147483648L, 1, Integer.MAX_VALUE)).code());
  }

  @Test
  void numbersAsTheJsonParserReadsThemStayExact() {
    JsonObject json = (JsonObject) Json.decodeValue("{\"a\":18446744073709551617,\"b\":1.5,\"c\":1e2,\"d\":9223372036854775807,\"e\":-0}");
    assertNull(Field.exactInteger(json.getValue("a"), 1, Long.MAX_VALUE), "2^64+1 is not read as 1");
    assertNull(Field.exactInteger(json.getValue("b"), 0, Long.MAX_VALUE));
    assertNull(Field.exactInteger(json.getValue("c"), 0, Long.MAX_VALUE), "an exponent makes a float");
    assertEquals(Long.MAX_VALUE, Field.exactInteger(json.getValue("d"), 0, Long.MAX_VALUE));
    assertEquals(0L, Field.exactInteger(json.getValue("e"), 0, Long.MAX_VALUE));
  }

  @Test
  void digitsAreAsciiOnlyAndInRange() {
    assertEquals(42L, Field.digits("42", 1, Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, Field.digits("9223372036854775807", 1, Long.MAX_VALUE));
    for (String bad : new String[] {"", "0", "-1", "+1", " 1", "1 ", "1.0", "1e3", "\u0661", "\uff11",
        "9223372036854775808", "18446744073709551617", "00000000000000000001", "1\u0000"}) {
      assertNull(Field.digits(bad, 1, Long.MAX_VALUE), bad);
    }
  }

  @Test
  void socketRequestsReadThroughTheSameChecks() {
    Request r = new Request("r1", "post", (JsonObject) Json.decodeValue(
        "{\"room\":18446744073709551617,\"text\":\"a\\u0000\",\"key\":\"\\ud800\",\"seconds\":1.5,\"choices\":[4294967296],"
            + "\"reason\":\"  ok  \",\"options\":[\"ja\",\"\\udc00\"],\"mentions\":[1,18446744073709551617]}"));
    assertEquals("invalid_field", assertThrows(ApiError.class, () -> r.id("room")).code());
    assertEquals("invalid_text", assertThrows(ApiError.class, () -> r.text("text")).code());
    assertEquals("invalid_text", assertThrows(ApiError.class, () -> r.text("key")).code());
    assertEquals("invalid_field", assertThrows(ApiError.class, () -> r.optionalId("seconds")).code());
    assertEquals("invalid_field", assertThrows(ApiError.class, () -> r.integers("choices", 10, 0, Integer.MAX_VALUE)).code());
    assertEquals("invalid_text", assertThrows(ApiError.class, () -> r.texts("options", 2, 10, 200)).code());
    assertEquals("invalid_field", assertThrows(ApiError.class, () -> r.ids("mentions", 50)).code());
    assertEquals("ok", r.trimmedText("reason", 500, false));
  }
}

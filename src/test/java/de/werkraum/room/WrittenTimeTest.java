package de.werkraum.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A post's {@code writtenAt}: the time its author wrote it (it may have waited offline), kept beside the
 * time the server stored it, the same in the ack, the live event, a resume and the history.
 */
class WrittenTimeTest {

  static final String PASSWORD = "Halde-Haniel-Bottrop-2026";
  static TestPlatform server;
  static ApiClient anna;
  static ApiClient ben;
  static long space;

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Lippe");
    for (String name : List.of("anna", "ben")) {
      long id = server.createUser(name + "@written.de", PASSWORD, name, false);
      server.addToSpace(space, id, "member");
    }
    anna = server.loggedIn("anna@written.de", PASSWORD);
    ben = server.loggedIn("ben@written.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long newRoom(String name) {
    return server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, $2, 'standing') RETURNING id", space, name);
  }

  static Map<String, Object> post(long room, String key, String text, Object writtenAt) {
    Map<String, Object> fields = new HashMap<>(Map.of("room", room, "key", key, "text", text));
    fields.put("writtenAt", writtenAt);
    return fields;
  }

  static long storedWrittenAtMillis(long room, String key) {
    return server.sqlLong("SELECT coalesce((extract(epoch FROM written_at) * 1000)::bigint, -1) FROM messages"
        + " WHERE room_id = $1 AND client_key = $2", room, key);
  }

  @Test
  void theWrittenTimeIsStoredAndReturnedLiveOnResumeAndInHistory() {
    long room = newRoom("Geschrieben");
    Instant written = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      JsonObject ack = a.ok("post", post(room, "offline-1", "Im Zug geschrieben", written.toString())).getJsonObject("message");
      assertEquals(written.toString(), ack.getString("writtenAt"), ack.encode());
      assertTrue(Instant.parse(ack.getString("createdAt")).isAfter(written), ack.encode());
      JsonObject live = b.event(room).getJsonObject("message");
      assertEquals(written.toString(), live.getString("writtenAt"), live.encode());
      assertEquals(ack.getString("createdAt"), live.getString("createdAt"));
    }
    assertEquals(written.toEpochMilli(), storedWrittenAtMillis(room, "offline-1"));
    try (WsClient b = WsClient.as(server, ben)) {
      b.ok("join", Map.of("room", room, "since", 0));
      assertEquals(written.toString(), b.event(room).getJsonObject("message").getString("writtenAt"), "on resume");
      JsonObject page = b.ok("history", Map.of("room", room));
      assertEquals(written.toString(), page.getJsonArray("messages").getJsonObject(0).getString("writtenAt"), "in history");
      JsonObject thread = b.ok("thread", Map.of("room", room, "message", 1));
      assertEquals(written.toString(), thread.getJsonObject("message").getString("writtenAt"), "in the thread");
    }
  }

  @Test
  void aPostWithoutWrittenTimeHasNone() {
    long room = newRoom("Ohne");
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      JsonObject ack = a.ok("post", Map.of("room", room, "key", "plain", "text", "Jetzt")).getJsonObject("message");
      assertTrue(ack.containsKey("writtenAt") && ack.getValue("writtenAt") == null, ack.encode());
      JsonObject page = a.ok("history", Map.of("room", room));
      assertNull(page.getJsonArray("messages").getJsonObject(0).getValue("writtenAt"));
    }
    assertEquals(-1, storedWrittenAtMillis(room, "plain"));
  }

  @Test
  void aWrittenTimeAheadOfTheServerIsStoredAsTheTimeOfStoring() {
    long room = newRoom("Vorgestellt");
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      String ahead = Instant.now().plus(3, ChronoUnit.HOURS).toString();
      JsonObject ack = a.ok("post", post(room, "ahead", "Uhr geht vor", ahead)).getJsonObject("message");
      assertEquals(ack.getString("createdAt"), ack.getString("writtenAt"), ack.encode());
      JsonObject far = a.ok("post", post(room, "far", "Weit voraus", "+999999999-12-31T23:59:59Z")).getJsonObject("message");
      assertEquals(far.getString("createdAt"), far.getString("writtenAt"), far.encode());
      // An offset other than Z is read as the instant it names.
      String berlin = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
          .atOffset(java.time.ZoneOffset.ofHours(1)).toString();
      JsonObject other = a.ok("post", post(room, "berlin", "Mit Versatz", berlin)).getJsonObject("message");
      assertEquals(java.time.OffsetDateTime.parse(berlin).toInstant().toString(), other.getString("writtenAt"));
    }
    assertEquals(server.sqlLong("SELECT (extract(epoch FROM created_at) * 1000)::bigint FROM messages WHERE room_id = $1 AND client_key = 'ahead'",
        room), storedWrittenAtMillis(room, "ahead"));
  }

  @Test
  void badWrittenTimesAreRefusedAndStoreNothing() {
    long room = newRoom("Falsch");
    String tooOld = Instant.now().minus(8, ChronoUnit.DAYS).toString();
    Map<Object, String> bad = new java.util.LinkedHashMap<>();
    bad.put("gestern", "invalid_field");
    bad.put("", "invalid_field");
    bad.put("2026-11-26T10:15:00", "invalid_field"); // no offset: whose clock?
    bad.put("2026-11-26", "invalid_field");
    bad.put("2026-13-40T10:15:00Z", "invalid_field");
    bad.put("x".repeat(5000), "invalid_field");
    bad.put(1764150000000L, "invalid_field");
    bad.put(true, "invalid_field");
    bad.put(List.of(Instant.now().toString()), "invalid_field");
    bad.put(tooOld, "invalid_field");
    bad.put("-999999999-01-01T00:00:00Z", "invalid_field");
    bad.put("2026-11-26T10:15:00\u0000Z", "invalid_text");
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      int n = 0;
      for (Map.Entry<Object, String> e : bad.entrySet()) {
        JsonObject answer = a.request("post", post(room, "bad-" + n++, "Wann?", e.getKey()));
        assertEquals("error", answer.getString("type"), e.getKey() + " → " + answer.encode());
        assertEquals(e.getValue(), answer.getString("code"), answer.encode());
        assertEquals("writtenAt", answer.getString("field"), answer.encode());
      }
      assertNull(a.next(f -> "event".equals(f.getString("type")), 300), "nothing published");
    }
    assertEquals(0, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", room));
    assertEquals(0, server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room));
  }

  @Test
  void aResendKeepsTheOriginalWrittenTimeEvenWhenItsOwnIsTooOld() {
    long room = newRoom("Nochmal");
    Instant first = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      JsonObject stored = a.ok("post", post(room, "once", "Einmal", first.toString()));
      assertFalse(stored.getBoolean("duplicate"));
      JsonObject again = a.ok("post", post(room, "once", "Einmal", Instant.now().minus(5, ChronoUnit.MINUTES).toString()));
      assertTrue(again.getBoolean("duplicate"));
      assertEquals(first.toString(), again.getJsonObject("message").getString("writtenAt"));
      // A resend after the window has passed is still answered with the original, not refused.
      JsonObject late = a.ok("post", post(room, "once", "Einmal", Instant.now().minus(30, ChronoUnit.DAYS).toString()));
      assertTrue(late.getBoolean("duplicate"));
      assertEquals(first.toString(), late.getJsonObject("message").getString("writtenAt"));
    }
    assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", room));
    assertEquals(first.toEpochMilli(), storedWrittenAtMillis(room, "once"));
  }
}

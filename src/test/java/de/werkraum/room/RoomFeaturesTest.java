package de.werkraum.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Edit, delete, replies, reactions, mentions, unread counts, presence and typing. */
class RoomFeaturesTest {

  static TestPlatform server;
  static ApiClient anna;
  static ApiClient ben;
  static long space;
  static long annaId;
  static long benId;
  static long outsiderId;
  static final String PASSWORD = "Villa-Huegel-Essen-1873";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Funktionen");
    annaId = server.createUser("anna@features.de", PASSWORD, "Anna", false);
    benId = server.createUser("ben@features.de", PASSWORD, "Ben", false);
    outsiderId = server.createUser("out@features.de", PASSWORD, "Out", false);
    server.addToSpace(space, annaId, "member");
    server.addToSpace(space, benId, "member");
    anna = server.loggedIn("anna@features.de", PASSWORD);
    ben = server.loggedIn("ben@features.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long newRoom(String name) {
    return server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, $2, 'standing') RETURNING id", space, name);
  }

  @Test
  void authorEditsOwnMessageAndTheHistoryIsKept() {
    long room = newRoom("Bearbeiten");
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      long seq = a.ok("post", Map.of("room", room, "key", "e1", "text", "Erste Fassung")).getJsonObject("message").getLong("seq");
      b.event(room);
      assertEquals("not_author", b.request("edit", Map.of("room", room, "message", seq, "text", "Übernommen")).getString("code"));
      JsonObject edited = a.ok("edit", Map.of("room", room, "message", seq, "text", "Zweite Fassung"));
      JsonObject event = b.event(room);
      assertEquals("message_edited", event.getString("kind"));
      assertEquals(edited.getLong("seq"), event.getLong("seq"));
      assertEquals("Zweite Fassung", event.getJsonObject("message").getString("text"));
      assertNotNull(event.getJsonObject("message").getString("editedAt"));
      JsonArray edits = b.ok("edits", Map.of("room", room, "message", seq)).getJsonArray("edits");
      assertEquals("Erste Fassung", edits.getJsonObject(0).getString("text"));
      JsonObject now = b.ok("history", Map.of("room", room)).getJsonArray("messages").getJsonObject(0);
      assertEquals("Zweite Fassung", now.getString("text"));
      assertNotNull(now.getString("editedAt"));
      assertEquals("unknown_message", a.request("edit", Map.of("room", room, "message", 999, "text", "x")).getString("code"));
    }
  }

  @Test
  void deletedMessageBecomesATombstoneForEveryone() {
    long room = newRoom("Löschen");
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      long seq = a.ok("post", Map.of("room", room, "key", "d1", "text", "Bitte löschen")).getJsonObject("message").getLong("seq");
      b.event(room);
      assertEquals("not_author", b.request("delete", Map.of("room", room, "message", seq)).getString("code"));
      a.ok("delete", Map.of("room", room, "message", seq));
      JsonObject event = b.event(room);
      assertEquals("message_deleted", event.getString("kind"));
      JsonObject tomb = b.ok("history", Map.of("room", room)).getJsonArray("messages").getJsonObject(0);
      assertTrue(tomb.getBoolean("deleted"));
      assertNull(tomb.getString("text"));
      assertEquals("message_deleted", a.request("edit", Map.of("room", room, "message", seq, "text", "doch nicht")).getString("code"));
      assertEquals("message_deleted", b.request("react", Map.of("room", room, "message", seq, "emoji", "👍")).getString("code"));
    }
  }

  @Test
  void repliesFormAThread() {
    long room = newRoom("Faden");
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      long root = a.ok("post", Map.of("room", room, "key", "t0", "text", "Frage an alle")).getJsonObject("message").getLong("seq");
      b.ok("post", Map.of("room", room, "key", "t1", "text", "Antwort eins", "replyTo", root));
      a.ok("post", Map.of("room", room, "key", "t2", "text", "Antwort zwei", "replyTo", root));
      a.ok("post", Map.of("room", room, "key", "t3", "text", "Etwas anderes"));
      JsonObject thread = b.ok("thread", Map.of("room", room, "message", root));
      assertEquals("Frage an alle", thread.getJsonObject("message").getString("text"));
      assertEquals(2, thread.getJsonObject("message").getLong("replyCount"));
      assertEquals(List.of("Antwort eins", "Antwort zwei"),
          thread.getJsonArray("replies").stream().map(m -> ((JsonObject) m).getString("text")).toList());
      assertEquals("unknown_message", a.request("post", Map.of("room", room, "key", "t4", "text", "ins Leere", "replyTo", 999)).getString("code"));
    }
  }

  @Test
  void reactionsToggleOncePerParticipantAndEmoji() {
    long room = newRoom("Reaktionen");
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      long seq = a.ok("post", Map.of("room", room, "key", "r1", "text", "Gefällt euch das?")).getJsonObject("message").getLong("seq");
      JsonObject added = b.ok("react", Map.of("room", room, "message", seq, "emoji", "👍")).getJsonObject("event");
      assertEquals(List.of("u" + benId), added.getJsonArray("authors").getList());
      a.ok("react", Map.of("room", room, "message", seq, "emoji", "👍"));
      JsonObject removed = b.ok("react", Map.of("room", room, "message", seq, "emoji", "👍")).getJsonObject("event");
      assertEquals(List.of("u" + annaId), removed.getJsonArray("authors").getList());
      assertEquals(false, removed.getBoolean("added"));
      assertEquals("invalid_field", b.request("react", Map.of("room", room, "message", seq, "emoji", "💩")).getString("code"));
      JsonObject message = b.ok("history", Map.of("room", room)).getJsonArray("messages").getJsonObject(0);
      assertEquals(new JsonObject().put("👍", new JsonArray().add("u" + annaId)), message.getJsonObject("reactions"));
    }
  }

  @Test
  void mentionsAreKeptForSpaceMembersAndCountedAsUnread() {
    long room = newRoom("Erwähnungen");
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      a.ok("post", Map.of("room", room, "key", "m1", "text", "@Ben schau mal", "mentions", List.of(benId, outsiderId)));
      a.ok("post", Map.of("room", room, "key", "m2", "text", "und noch etwas"));
      JsonObject message = a.ok("history", Map.of("room", room)).getJsonArray("messages").getJsonObject(0);
      assertEquals(List.of(benId), message.getJsonArray("mentions").getList().stream().map(o -> ((Number) o).longValue()).toList(),
          "only members of the space can be mentioned");
    }
    JsonObject forBen = ben.get("/api/spaces/" + space + "/rooms").items().stream().map(o -> (JsonObject) o)
        .filter(r -> r.getLong("id") == room).findFirst().orElseThrow();
    assertEquals(2, forBen.getLong("unread"));
    assertEquals(1, forBen.getLong("mentions"));
    JsonObject forAnna = anna.get("/api/spaces/" + space + "/rooms").items().stream().map(o -> (JsonObject) o)
        .filter(r -> r.getLong("id") == room).findFirst().orElseThrow();
    assertEquals(0, forAnna.getLong("unread"), "own messages are not unread");
    try (WsClient b = WsClient.as(server, ben)) {
      b.ok("read", Map.of("room", room, "seq", 1));
    }
    JsonObject after = ben.get("/api/spaces/" + space + "/rooms").items().stream().map(o -> (JsonObject) o)
        .filter(r -> r.getLong("id") == room).findFirst().orElseThrow();
    assertEquals(1, after.getLong("unread"));
    assertEquals(0, after.getLong("mentions"));
  }

  @Test
  void rejoiningOnTheSameConnectionStillLeavesWhenTheSocketCloses() {
    long room = newRoom("Wieder rein");
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      try (WsClient b = WsClient.as(server, ben)) {
        b.ok("join", Map.of("room", room));
        b.send("join", Map.of("room", room, "since", 0));
        b.ok("join", Map.of("room", room));
        assertNotNull(a.next(f -> "presence".equals(f.getString("type")) && f.getJsonArray("members").size() == 2));
      }
      assertNotNull(a.next(f -> "presence".equals(f.getString("type")) && f.getJsonArray("members").size() == 1),
          "Ben's presence ends with his socket, however often he joined");
    }
  }

  @Test
  void presenceAndTypingReachOthersInTheRoom() {
    long room = newRoom("Anwesenheit");
    try (WsClient a = WsClient.as(server, anna)) {
      JsonObject joined = a.ok("join", Map.of("room", room));
      assertTrue(joined.getJsonArray("presence").size() <= 1);
      try (WsClient b = WsClient.as(server, ben)) {
        b.ok("join", Map.of("room", room));
        JsonObject both = a.next(f -> "presence".equals(f.getString("type")) && f.getJsonArray("members").size() == 2);
        assertNotNull(both, "Anna sees Ben arrive");
        assertEquals(List.of("Anna", "Ben"), both.getJsonArray("members").stream().map(m -> ((JsonObject) m).getString("name")).toList());
        b.ok("typing", Map.of("room", room));
        JsonObject typing = a.next(f -> "typing".equals(f.getString("type")));
        assertEquals("u" + benId, typing.getJsonObject("participant").getString("key"));
      }
      JsonObject alone = a.next(f -> "presence".equals(f.getString("type")) && f.getJsonArray("members").size() == 1);
      assertNotNull(alone, "Anna sees Ben leave when his socket closes");
    }
  }
}

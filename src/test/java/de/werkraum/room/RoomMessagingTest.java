package de.werkraum.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery, resume, idempotency and ordering in rooms, with real WebSocket clients. */
class RoomMessagingTest {

  static TestPlatform server;
  static ApiClient anna;
  static ApiClient ben;
  static ApiClient carla;
  static ApiClient outsider;
  static long space;
  static final String PASSWORD = "Phoenixsee-Hoerde-2026";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Emscher");
    for (String name : List.of("anna", "ben", "carla")) {
      long id = server.createUser(name + "@rooms.de", PASSWORD, name, false);
      server.addToSpace(space, id, "member");
    }
    server.createUser("outsider@rooms.de", PASSWORD, "Outsider", false);
    anna = server.loggedIn("anna@rooms.de", PASSWORD);
    ben = server.loggedIn("ben@rooms.de", PASSWORD);
    carla = server.loggedIn("carla@rooms.de", PASSWORD);
    outsider = server.loggedIn("outsider@rooms.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long newRoom(long spaceId, String name) {
    return server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, $2, 'standing') RETURNING id", spaceId, name);
  }

  static Map<String, Object> post(long room, String key, String text) {
    return Map.of("room", room, "key", key, "text", text);
  }

  @Test
  void messageReachesEveryMemberInTheRoomWithItsSeq() {
    long room = newRoom(space, "Allgemein");
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben); WsClient c = WsClient.as(server, carla)) {
      assertEquals(0, a.ok("join", Map.of("room", room)).getLong("lastSeq"));
      b.ok("join", Map.of("room", room));
      c.ok("join", Map.of("room", room));
      JsonObject ack = a.ok("post", post(room, "k1", "Glück auf!"));
      assertEquals(1, ack.getJsonObject("message").getLong("seq"));
      assertFalse(ack.getBoolean("duplicate"));
      for (WsClient receiver : List.of(a, b, c)) {
        JsonObject event = receiver.event(room);
        assertEquals("message", event.getString("kind"));
        assertEquals(1, event.getLong("seq"));
        assertEquals("Glück auf!", event.getJsonObject("message").getString("text"));
        assertEquals("anna", event.getJsonObject("message").getJsonObject("author").getString("name"));
      }
      assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", room));
    }
  }

  @Test
  void nonMembersAndUnknownRoomsAreRefused() {
    long room = newRoom(space, "Nur Mitglieder");
    long otherSpace = server.createSpace("Anderer Raum");
    long foreign = newRoom(otherSpace, "Fremd");
    try (WsClient o = WsClient.as(server, outsider); WsClient a = WsClient.as(server, anna)) {
      JsonObject refused = o.request("join", Map.of("room", room));
      assertEquals("error", refused.getString("type"));
      assertEquals("forbidden", refused.getString("code"));
      assertEquals("forbidden", a.request("join", Map.of("room", foreign)).getString("code"), "room of another space");
      assertEquals("unknown_room", a.request("join", Map.of("room", 987_654)).getString("code"));
      assertEquals("not_joined", a.request("post", post(foreign, "x1", "hallo")).getString("code"));
      assertEquals("forbidden", a.request("history", Map.of("room", foreign)).getString("code"));
      assertEquals(0, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", foreign));
    }
  }

  @Test
  void resumeAfterDroppedConnectionDeliversExactlyTheGapThenLiveEvents() {
    long room = newRoom(space, "Wiederaufnahme");
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      long seen;
      try (WsClient b = WsClient.as(server, ben)) {
        b.ok("join", Map.of("room", room));
        a.ok("post", post(room, "r1", "eins"));
        seen = b.event(room).getLong("seq");
      }
      a.ok("post", post(room, "r2", "zwei"));
      a.ok("post", post(room, "r3", "drei"));
      a.ok("post", post(room, "r4", "vier"));
      try (WsClient b = WsClient.as(server, ben)) {
        JsonObject ack = b.ok("join", Map.of("room", room, "since", seen));
        assertEquals(4, ack.getLong("lastSeq"));
        List<String> texts = new ArrayList<>();
        for (JsonObject e : b.drain(f -> "event".equals(f.getString("type")), 300)) {
          texts.add(e.getJsonObject("message").getString("text"));
        }
        assertEquals(List.of("zwei", "drei", "vier"), texts, "exactly the gap, in order");
        a.ok("post", post(room, "r5", "fünf"));
        JsonObject live = b.event(room);
        assertEquals(5, live.getLong("seq"));
        assertNull(b.next(f -> "event".equals(f.getString("type")), 300), "nothing twice");
      }
    }
  }

  @Test
  void resendingTheSameKeyYieldsTheOriginalMessage() {
    long room = newRoom(space, "Doppelt");
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben)) {
      a.ok("join", Map.of("room", room));
      b.ok("join", Map.of("room", room));
      JsonObject first = a.ok("post", post(room, "same-key", "Einmal bitte"));
      JsonObject again = a.ok("post", post(room, "same-key", "Einmal bitte"));
      assertTrue(again.getBoolean("duplicate"));
      assertEquals(first.getJsonObject("message").getLong("seq"), again.getJsonObject("message").getLong("seq"));
      assertEquals(1, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", room));
      assertNotNull(b.event(room));
      assertNull(b.next(f -> "event".equals(f.getString("type")), 300), "the resend is not broadcast again");
      // Another author may use the same key: keys are per author.
      b.ok("post", post(room, "same-key", "Ich auch"));
      assertEquals(2, server.sqlLong("SELECT count(*) FROM messages WHERE room_id = $1", room));
    }
  }

  @Test
  void concurrentPostersGetOneGapFreeOrderSeenIdenticallyByEveryone() throws Exception {
    long room = newRoom(space, "Gedränge");
    int perPoster = 20;
    try (WsClient a = WsClient.as(server, anna); WsClient b = WsClient.as(server, ben); WsClient c = WsClient.as(server, carla)) {
      List<WsClient> all = List.of(a, b, c);
      for (WsClient w : all) {
        w.ok("join", Map.of("room", room));
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        WsClient w = all.get(i);
        String who = "p" + i;
        done.add(pool.submit(() -> {
          for (int n = 0; n < perPoster; n++) {
            w.ok("post", post(room, who + "-" + n, who + " " + n));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      List<List<Long>> orders = new ArrayList<>();
      for (WsClient w : all) {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 3 * perPoster; i++) {
          seqs.add(w.event(room).getLong("seq"));
        }
        orders.add(seqs);
      }
      List<Long> expected = new ArrayList<>();
      for (long s = 1; s <= 3 * perPoster; s++) {
        expected.add(s);
      }
      for (List<Long> order : orders) {
        assertEquals(expected, order, "gap-free, in order, identical for every receiver");
      }
    }
  }

  @Test
  void historyPagesBackwards() {
    long room = newRoom(space, "Archiv");
    try (WsClient a = WsClient.as(server, anna)) {
      a.ok("join", Map.of("room", room));
      for (int i = 1; i <= 7; i++) {
        a.ok("post", post(room, "h" + i, "Nachricht " + i));
      }
      JsonObject latest = a.ok("history", Map.of("room", room, "limit", 3));
      assertEquals(List.of(5L, 6L, 7L), latest.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList());
      assertTrue(latest.getBoolean("hasMore"));
      JsonObject older = a.ok("history", Map.of("room", room, "limit", 10, "before", 5));
      assertEquals(4, older.getJsonArray("messages").size());
      assertFalse(older.getBoolean("hasMore"));
    }
  }
}

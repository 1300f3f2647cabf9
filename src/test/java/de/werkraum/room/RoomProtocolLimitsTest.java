package de.werkraum.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.RawWebSocket;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import de.werkraum.web.socket.WebSocketGateway;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every class of bad input on the WebSocket gets its documented answer and changes nothing. */
class RoomProtocolLimitsTest {

  static TestPlatform server;
  static ApiClient member;
  static long space;
  static long room;
  static final String PASSWORD = "Kanal-Rhein-Herne-1914";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Grenzen");
    long id = server.createUser("limits@rooms.de", PASSWORD, "Grenzfall", false);
    server.addToSpace(space, id, "member");
    member = server.loggedIn("limits@rooms.de", PASSWORD);
    room = server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, 'Grenzen', 'standing') RETURNING id", space);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private long messages() {
    return server.sqlLong("SELECT count(*) FROM messages");
  }

  private static JsonObject error(WsClient c) {
    return c.next(f -> "error".equals(f.getString("type")));
  }

  @Test
  void malformedFramesGetErrorsAndTheConnectionStaysUsable() {
    long before = messages();
    try (WsClient c = WsClient.as(server, member)) {
      c.sendRaw("{not json");
      assertEquals("malformed_json", error(c).getString("code"));
      c.sendRaw("[1,2,3]");
      assertEquals("malformed_json", error(c).getString("code"));
      c.sendRaw("{\"type\":\"join\",\"room\":1}");
      assertEquals("missing_field", error(c).getString("code"), "a request without id");
      c.sendRaw("{\"id\":{},\"type\":\"join\"}");
      assertEquals("invalid_field", error(c).getString("code"));
      assertEquals("unknown_type", c.request("shout", Map.of("room", room)).getString("code"));
      assertEquals("missing_field", c.request("join", Map.of()).getString("code"));
      JsonObject wrongType = c.request("join", Map.of("room", "eins"));
      assertEquals("invalid_field", wrongType.getString("code"));
      assertEquals("room", wrongType.getString("field"));
      c.ok("join", Map.of("room", room));
      assertEquals("missing_field", c.request("post", Map.of("room", room, "key", "k")).getString("code"));
      assertEquals("invalid_field", c.request("post", Map.of("room", room, "key", "k", "text", 42)).getString("code"));
      assertEquals("invalid_field", c.request("post", Map.of("room", room, "key", "x".repeat(65), "text", "hi")).getString("code"));
      assertEquals("missing_field", c.request("post", Map.of("room", room, "key", "blank", "text", "   ")).getString("code"));
      assertEquals("invalid_field", c.request("join", Map.of("room", room, "since", 999)).getString("code"), "since from the future");
      assertEquals(before, messages());
      assertEquals("ack", c.request("ping", Map.of()).getString("type"), "still open and answering");
    }
  }

  @Test
  void tooLongTextIsRefusedWithItsOwnCode() {
    try (WsClient c = WsClient.as(server, member)) {
      c.ok("join", Map.of("room", room));
      long before = messages();
      JsonObject answer = c.request("post", Map.of("room", room, "key", "long", "text", "ä".repeat(RoomService.MAX_TEXT + 1)));
      assertEquals("text_too_long", answer.getString("code"));
      assertEquals(before, messages());
      c.ok("post", Map.of("room", room, "key", "exact", "text", "ä".repeat(RoomService.MAX_TEXT)));
    }
  }

  @Test
  void oversizedFrameClosesTheConnectionWith1009() {
    try (WsClient c = WsClient.as(server, member)) {
      c.sendRaw("{\"id\":1,\"type\":\"ping\",\"pad\":\"" + "x".repeat(WebSocketGateway.MAX_FRAME_BYTES + 10) + "\"}");
      assertEquals((short) 1009, c.awaitClose(5_000));
    }
  }

  @Test
  void clientThatStopsReadingIsClosedWith4002AndCanResume() throws Exception {
    long slowRoom = server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, 'Langsam', 'standing') RETURNING id", space);
    // 100 long messages, so that every history answer is about 400 KB.
    server.sql("""
        WITH bump AS (UPDATE rooms SET last_seq = 100 WHERE id = $1 RETURNING id)
        INSERT INTO messages (room_id, seq, author, author_name, client_key, body)
        SELECT $1, n, 'u0', 'Archiv', 'slow' || n, repeat('x', 4000) FROM generate_series(1, 100) n, bump""", slowRoom);
    // A peer that sends requests but never reads: about 80 MB of history answers back up on the server.
    try (RawWebSocket slow = RawWebSocket.open(server.platform.port(), server.origin(), member.cookieHeader())) {
      for (int i = 0; i < 200; i++) {
        slow.sendText("{\"id\":\"h" + i + "\",\"type\":\"history\",\"room\":" + slowRoom + ",\"limit\":100}");
      }
      Thread.sleep(2_000);
      assertEquals(4002, slow.readUntilClose());
    }
    try (WsClient again = WsClient.as(server, member)) {
      again.ok("join", Map.of("room", slowRoom, "since", 99));
      assertEquals(100, again.event(slowRoom).getLong("seq"));
    }
  }

  @Test
  void deadConnectionIsClosedAfterMissedHeartbeats() throws Exception {
    try (TestPlatform quick = TestPlatform.start(Map.of("WERKRAUM_WS_HEARTBEAT_SECONDS", "1"))) {
      long id = quick.createUser("silent@rooms.de", PASSWORD, "Still", false);
      ApiClient silent = quick.loggedIn("silent@rooms.de", PASSWORD);
      // A raw socket answers no pings: after three heartbeats without a sound it is closed with 4000.
      try (RawWebSocket dead = RawWebSocket.open(quick.platform.port(), quick.origin(), silent.cookieHeader())) {
        long started = System.nanoTime();
        assertEquals(4000, dead.readUntilClose());
        assertTrue(System.nanoTime() - started >= 2_000_000_000L, "not before the timeout");
      }
      // A real client answers pings and stays.
      try (WsClient alive = WsClient.as(quick, silent)) {
        Thread.sleep(4_500);
        assertEquals("ack", alive.request("ping", Map.of()).getString("type"));
      }
      assertTrue(id > 0);
    }
  }

  @Test
  void roomsPerConnectionAreLimited() {
    List<Long> rooms = new ArrayList<>();
    for (int i = 0; i <= RoomSocketHandler.MAX_ROOMS_PER_CONNECTION; i++) {
      rooms.add(server.sqlLong("INSERT INTO rooms (space_id, name, kind) VALUES ($1, $2, 'standing') RETURNING id", space, "R" + i));
    }
    try (WsClient c = WsClient.as(server, member)) {
      for (int i = 0; i < RoomSocketHandler.MAX_ROOMS_PER_CONNECTION; i++) {
        c.ok("join", Map.of("room", rooms.get(i)));
      }
      assertEquals("too_many_rooms", c.request("join", Map.of("room", rooms.get(RoomSocketHandler.MAX_ROOMS_PER_CONNECTION))).getString("code"));
      c.ok("leave", Map.of("room", rooms.get(0)));
      c.ok("join", Map.of("room", rooms.get(RoomSocketHandler.MAX_ROOMS_PER_CONNECTION)));
    }
  }

  @Test
  void connectionsPerParticipantAreLimited() {
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < WebSocketGateway.MAX_CONNECTIONS_PER_PARTICIPANT; i++) {
        open.add(WsClient.as(server, member));
      }
      UpgradeRejectedException e = assertThrows(UpgradeRejectedException.class, () -> WsClient.as(server, member));
      assertEquals(429, e.getStatus());
    } finally {
      open.forEach(WsClient::close);
    }
  }

  @Test
  void handshakesWithoutTheRightOriginOrSessionAreRefusedWith403() {
    String cookie = member.cookieHeader();
    int port = server.platform.port();
    for (String origin : new String[] {"http://evil.example", server.origin() + ".evil.example", server.origin() + ":1", null}) {
      UpgradeRejectedException e = assertThrows(UpgradeRejectedException.class,
          () -> WsClient.connect(server.vertx, port, origin, cookie), "Origin " + origin);
      assertEquals(403, e.getStatus());
    }
    UpgradeRejectedException noSession = assertThrows(UpgradeRejectedException.class,
        () -> WsClient.connect(server.vertx, port, server.origin(), null));
    assertEquals(403, noSession.getStatus());
    UpgradeRejectedException forged = assertThrows(UpgradeRejectedException.class,
        () -> WsClient.connect(server.vertx, port, server.origin(), "werkraum_session=forged"));
    assertEquals(403, forged.getStatus());
  }

  @Test
  void deactivatedAccountsSocketsCloseAtOnceWith1008() {
    long id = server.createUser("leaving@rooms.de", PASSWORD, "Geht", false);
    server.addToSpace(space, id, "member");
    server.createUser("admin@rooms.de", PASSWORD, "Admin", true);
    ApiClient admin = server.loggedIn("admin@rooms.de", PASSWORD);
    ApiClient leaving = server.loggedIn("leaving@rooms.de", PASSWORD);
    try (WsClient c = WsClient.as(server, leaving)) {
      c.ok("join", Map.of("room", room));
      assertEquals(200, admin.post("/api/admin/users/" + id + "/deactivate", null).status());
      assertEquals((short) 1008, c.awaitClose(5_000));
    }
  }

  @Test
  void logoutClosesThatSessionsSockets() {
    ApiClient second = server.loggedIn("limits@rooms.de", PASSWORD);
    try (WsClient c = WsClient.as(server, second); WsClient other = WsClient.as(server, member)) {
      assertEquals(204, second.post("/api/auth/logout", null).status());
      assertEquals((short) 1008, c.awaitClose(5_000));
      assertTrue(!other.isClosed(), "the other session's socket stays open");
      assertEquals("ack", other.request("ping", Map.of()).getString("type"));
    }
  }

  @Test
  void membershipRemovedWhileConnectedIsCheckedOnTheNextMessage() {
    long id = server.createUser("removed@rooms.de", PASSWORD, "Entfernt", false);
    server.addToSpace(space, id, "member");
    ApiClient removed = server.loggedIn("removed@rooms.de", PASSWORD);
    try (WsClient c = WsClient.as(server, removed)) {
      c.ok("join", Map.of("room", room));
      c.ok("post", Map.of("room", room, "key", "before", "text", "noch drin"));
      server.sql("DELETE FROM space_members WHERE user_id = $1", id);
      assertEquals("forbidden", c.request("post", Map.of("room", room, "key", "after", "text", "schon draußen")).getString("code"));
      assertEquals("forbidden", c.request("history", Map.of("room", room)).getString("code"));
      assertEquals(0, server.sqlLong("SELECT count(*) FROM messages WHERE client_key = 'after'"));
    }
  }
}

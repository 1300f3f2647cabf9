package de.werkraum.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import de.werkraum.support.ApiClient;
import de.werkraum.support.HostileJson;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Text PostgreSQL cannot store (U+0000, unpaired surrogates) and numbers outside their range are refused
 * at the edge, with their own code, in HTTP bodies, query and path parameters and socket frames, and
 * change nothing.
 */
class HostileInputTest {

  static final String PASSWORD = "Gasometer-Oberhausen-1929";
  static final String NUL = "a\u0000b";
  static final String LONE_HIGH = "Zeche \ud800";
  static final String LONE_LOW = "\udc00 Zeche";
  /** 2^64 + 1: a long that wraps to 1. */
  static final BigInteger WRAPS_TO_ONE = BigInteger.TWO.pow(64).add(BigInteger.ONE);

  static TestPlatform server;
  static ApiClient admin;
  static long space;
  static long room;
  static long profile;

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Raum eins");
    long adminId = server.createUser("admin@hostile.de", PASSWORD, "Admin", true);
    server.addToSpace(space, adminId, "coordinator");
    admin = server.loggedIn("admin@hostile.de", PASSWORD);
    room = admin.post("/api/spaces/" + space + "/rooms", Map.of("name", "Halle")).json().getLong("id");
    profile = admin.post("/api/spaces/" + space + "/profiles", Map.of()).json().getLong("id");
    assertEquals(1, space, "a fresh database: the space that 2^64+1 would wrap to");
    assertEquals(1, room, "a fresh database: the room that 2^64+1 would wrap to");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String[] jsonHeaders() {
    return new String[] {"Content-Type", "application/json", "Origin", server.origin(), "X-Werkraum-Csrf", "1"};
  }

  static ApiClient.Response send(ApiClient client, String method, String path, Map<String, Object> body) {
    return client.raw(method, path, HostileJson.encode(body), jsonHeaders());
  }

  static Map<String, Object> body(Object... fields) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      map.put((String) fields[i], fields[i + 1]);
    }
    return map;
  }

  static void assertRefused(ApiClient.Response r, int status, String code, String field) {
    assertEquals(status, r.status(), r.body());
    JsonObject error = r.json().getJsonObject("error");
    assertEquals(code, error.getString("code"), r.body());
    assertEquals(field, error.getString("field"), r.body());
  }

  long count(String table) {
    return server.sqlLong("SELECT count(*) FROM " + table);
  }

  @Test
  void loginWithUnstorableTextIsInvalidNotAFault() {
    ApiClient anonymous = server.client();
    assertRefused(send(anonymous, "POST", "/api/auth/login", body("email", "admin@hostile.de" + "\u0000", "password", PASSWORD)),
        400, "invalid_text", "email");
    assertRefused(send(anonymous, "POST", "/api/auth/login", body("email", "admin@hostile.de", "password", "Gaso\u0000meter-1929")),
        400, "invalid_text", "password");
    assertRefused(send(anonymous, "POST", "/api/auth/login", body("email", "admin@hostile.de", "password", LONE_LOW + "-lang-genug")),
        400, "invalid_text", "password");
  }

  @Test
  void bodyTextsWithNulOrLoneSurrogatesAreRefusedAndStoreNothing() {
    long organisations = count("organisations");
    for (String bad : List.of(NUL, LONE_HIGH, LONE_LOW)) {
      assertRefused(send(admin, "POST", "/api/organisations", body("name", bad, "sector", "science")), 400, "invalid_text", "name");
      assertRefused(send(admin, "POST", "/api/organisations", body("name", "Zeche", "sector", "science", "description", bad)),
          400, "invalid_text", "description");
      assertRefused(send(admin, "POST", "/api/spaces/" + space + "/rooms", body("name", bad)), 400, "invalid_text", "name");
      assertRefused(send(admin, "PUT", "/api/me", body("displayName", "Admin", "bio", bad, "version", 1)), 400, "invalid_text", "bio");
      assertRefused(send(admin, "PATCH", "/api/profiles/" + profile, body("tags", List.of("Ruhr", bad), "metaVersion", 1)),
          400, "invalid_text", "tags");
      assertRefused(send(admin, "POST", "/api/spaces/" + space + "/sessions", body("title", "Werkstatt", "agenda", List.of(bad),
          "startsAt", "2030-01-01T09:00:00Z", "endsAt", "2030-01-01T12:00:00Z")), 400, "invalid_text", "agenda");
    }
    assertEquals(organisations, count("organisations"));
    assertEquals(1, count("rooms"));
    assertEquals(0, count("sessions"));
    assertEquals("", server.platform.pool().query("SELECT bio FROM users").execute().await().iterator().next().getString(0));
  }

  @Test
  void queryParametersWithNulAreInvalidQueries() {
    assertRefused(admin.get("/api/members?q=%00"), 400, "invalid_query", "q");
    assertRefused(admin.get("/api/organisations?q=Zeche%00"), 400, "invalid_query", "q");
    assertRefused(admin.get("/api/admin/users?q=%00"), 400, "invalid_query", "q");
    assertRefused(admin.get("/api/spaces/" + space + "/profiles?tag=%00"), 400, "invalid_query", "tag");
    assertRefused(admin.get("/api/members?space=18446744073709551617"), 400, "invalid_query", "space");
    assertRefused(admin.get("/api/members?space=%D9%A1"), 400, "invalid_query", "space");
    assertRefused(admin.get("/api/members?page=%2B1"), 400, "invalid_query", "page");
  }

  @Test
  void idsOutsideTheirRangeAreNeverWrappedOrRounded() {
    assertRefused(admin.get("/api/rooms/18446744073709551617"), 404, "not_found", null);
    assertRefused(admin.get("/api/rooms/+1"), 404, "not_found", null);
    assertRefused(admin.get("/api/rooms/%D9%A1"), 404, "not_found", null);
    long invitations = count("invitations");
    assertRefused(send(admin, "POST", "/api/invitations", body("email", "neu@hostile.de", "spaceId", WRAPS_TO_ONE)),
        400, "invalid_field", "spaceId");
    assertRefused(send(admin, "POST", "/api/invitations", body("email", "neu@hostile.de", "spaceId", 1.5)),
        400, "invalid_field", "spaceId");
    assertEquals(invitations, count("invitations"));
    assertRefused(send(admin, "PUT", "/api/rooms/" + room, body("name", "Halle", "members", List.of(WRAPS_TO_ONE), "version", 1)),
        400, "invalid_field", "members");
    assertRefused(send(admin, "PUT", "/api/rooms/" + room, body("name", "Halle", "version", BigInteger.TWO.pow(32).add(BigInteger.ONE))),
        400, "invalid_field", "version");
    assertRefused(send(admin, "PUT", "/api/rooms/" + room, body("name", "Halle", "version", new HostileJson.Literal("1e0"))),
        400, "invalid_field", "version");
    assertEquals("Halle", server.platform.pool().query("SELECT name FROM rooms").execute().await().iterator().next().getString(0));
  }

  @Test
  void timesBeyondWhatTheDatabaseHoldsAreInvalid() {
    assertRefused(send(admin, "POST", "/api/spaces/" + space + "/sessions", body("title", "Ferne Zukunft",
        "startsAt", "+100000-01-01T09:00:00Z", "endsAt", "+100000-01-01T12:00:00Z")), 400, "invalid_field", "startsAt");
    assertEquals(0, count("sessions"));
  }

  JsonObject frame(WsClient ws, String id, Map<String, Object> fields) {
    Map<String, Object> all = new LinkedHashMap<>(fields);
    all.put("id", id);
    ws.sendRaw(HostileJson.encode(all));
    return ws.next(f -> id.equals(f.getValue("id")) || (f.getValue("id") == null && "error".equals(f.getString("type"))));
  }

  static void assertFrameRefused(JsonObject answer, String code, String field) {
    assertEquals("error", answer.getString("type"), answer.encode());
    assertEquals(code, answer.getString("code"), answer.encode());
    assertEquals(field, answer.getString("field"), answer.encode());
  }

  @Test
  void socketFramesWithUnstorableTextAreRefusedAndStoreNothing() {
    try (WsClient ws = WsClient.as(server, admin)) {
      ws.ok("join", Map.of("room", room));
      long seq = ws.ok("post", Map.of("room", room, "key", "gut", "text", "Glück auf")).getJsonObject("message").getLong("seq");
      long lastSeq = server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room);
      for (String bad : List.of(NUL, LONE_HIGH, LONE_LOW)) {
        assertFrameRefused(frame(ws, "p1", body("type", "post", "room", room, "key", "k1", "text", bad)), "invalid_text", "text");
        assertFrameRefused(frame(ws, "p2", body("type", "post", "room", room, "key", bad, "text", "Hallo")), "invalid_text", "key");
        assertFrameRefused(frame(ws, "e1", body("type", "edit", "room", room, "message", seq, "text", bad)), "invalid_text", "text");
        assertFrameRefused(frame(ws, "r1", body("type", "report", "room", room, "message", seq, "reason", bad)), "invalid_text", "reason");
        assertFrameRefused(frame(ws, "q1", body("type", "poll_create", "room", room, "question", bad, "options", List.of("ja", "nein"))),
            "invalid_text", "question");
        assertFrameRefused(frame(ws, "q2", body("type", "poll_create", "room", room, "question", "Ob?", "options", List.of("ja", bad))),
            "invalid_text", "options");
        assertFrameRefused(frame(ws, "s1", body("type", "profile_submit", "profile", profile, "field", "title",
            "delta", List.of(Map.of("insert", "x")), "baseVersion", 0, "client", bad, "seq", 1)), "invalid_text", "client");
        assertFrameRefused(frame(ws, bad, body("type", "ping")), "invalid_text", "id");
      }
      assertEquals(lastSeq, server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room));
      assertEquals(0, count("reports"));
      assertEquals(0, count("polls"));
      assertEquals("Glück auf", server.platform.pool().query("SELECT body FROM messages").execute().await().iterator().next().getString(0));
    }
  }

  @Test
  void socketIdsOutsideTheirRangeAreInvalidNotRoomOne() {
    try (WsClient ws = WsClient.as(server, admin)) {
      assertFrameRefused(frame(ws, "j1", body("type", "join", "room", WRAPS_TO_ONE)), "invalid_field", "room");
      assertFrameRefused(frame(ws, "j2", body("type", "join", "room", 1.5)), "invalid_field", "room");
      assertFrameRefused(frame(ws, "j3", body("type", "join", "room", new HostileJson.Literal("1e0"))), "invalid_field", "room");
      assertFrameRefused(frame(ws, "j4", body("type", "join", "room", -1)), "invalid_field", "room");
      assertFrameRefused(frame(ws, "h1", body("type", "history", "room", room, "before", WRAPS_TO_ONE)), "invalid_field", "before");
      ws.ok("join", Map.of("room", room));
      long lastSeq = server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room);
      assertFrameRefused(frame(ws, "p1", body("type", "post", "room", room, "key", "m", "text", "Hallo",
          "mentions", List.of(WRAPS_TO_ONE))), "invalid_field", "mentions");
      assertFrameRefused(frame(ws, "p2", body("type", "post", "room", room, "key", "m", "text", "Hallo", "replyTo", 2.0)),
          "invalid_field", "replyTo");
      assertEquals(lastSeq, server.sqlLong("SELECT last_seq FROM rooms WHERE id = $1", room));
      assertNull(ws.next(f -> "event".equals(f.getString("type")), 300), "nothing was posted");
    }
  }
}

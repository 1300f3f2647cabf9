package de.werkraum.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.werkraum.support.ApiClient;
import de.werkraum.support.TestPlatform;
import de.werkraum.support.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Standing rooms, sessions with their rooms, and guests confined to their session's room. */
class SessionsAndGuestsTest {

  static TestPlatform server;
  static ApiClient coordinator;
  static ApiClient member;
  static ApiClient other;
  static ApiClient outsider;
  static long space;
  static long memberId;
  static final String PASSWORD = "Gasometer-Oberhausen-117";

  @BeforeAll
  static void start() {
    server = TestPlatform.start();
    space = server.createSpace("Werkstätten");
    long coord = server.createUser("coord@sessions.de", PASSWORD, "Koordinatorin", false);
    memberId = server.createUser("member@sessions.de", PASSWORD, "Mitglied", false);
    long otherId = server.createUser("other@sessions.de", PASSWORD, "Andere", false);
    server.createUser("outsider@sessions.de", PASSWORD, "Draußen", false);
    server.addToSpace(space, coord, "coordinator");
    server.addToSpace(space, memberId, "member");
    server.addToSpace(space, otherId, "member");
    coordinator = server.loggedIn("coord@sessions.de", PASSWORD);
    member = server.loggedIn("member@sessions.de", PASSWORD);
    other = server.loggedIn("other@sessions.de", PASSWORD);
    outsider = server.loggedIn("outsider@sessions.de", PASSWORD);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String in(long minutes) {
    return Instant.now().plus(minutes, ChronoUnit.MINUTES).toString();
  }

  private JsonObject newSession(String title, String policy, long startMinutes, long endMinutes) {
    ApiClient.Response r = coordinator.post("/api/spaces/" + space + "/sessions", Map.of("title", title,
        "description", "Beschreibung", "agenda", List.of("Begrüßung", "Arbeitsphase", "Ergebnisse"),
        "startsAt", in(startMinutes), "endsAt", in(endMinutes), "guestPolicy", policy));
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  private static String token(String link) {
    return link.substring(link.lastIndexOf('/') + 1);
  }

  @Test
  void coordinatorsCreateRoomsThatMembersSeeAndOutsidersDoNot() {
    ApiClient.Response created = coordinator.post("/api/spaces/" + space + "/rooms", Map.of("name", "Allgemeines"));
    assertEquals(201, created.status(), created.body());
    long room = created.json().getLong("id");
    assertTrue(member.get("/api/spaces/" + space + "/rooms").items().stream()
        .anyMatch(o -> ((JsonObject) o).getLong("id") == room));
    assertEquals("forbidden", member.post("/api/spaces/" + space + "/rooms", Map.of("name", "Meins")).errorCode());
    assertEquals("forbidden", outsider.get("/api/spaces/" + space + "/rooms").errorCode());
    assertEquals("forbidden", outsider.get("/api/rooms/" + room).errorCode());
  }

  @Test
  void restrictedRoomIsOnlyForItsList() {
    long room = coordinator.post("/api/spaces/" + space + "/rooms",
        Map.of("name", "Vertraulich", "restricted", true, "members", List.of(memberId))).json().getLong("id");
    assertTrue(member.get("/api/spaces/" + space + "/rooms").items().stream().anyMatch(o -> ((JsonObject) o).getLong("id") == room));
    assertFalse(other.get("/api/spaces/" + space + "/rooms").items().stream().anyMatch(o -> ((JsonObject) o).getLong("id") == room));
    try (WsClient m = WsClient.as(server, member); WsClient o = WsClient.as(server, other)) {
      m.ok("join", Map.of("room", room));
      assertEquals("forbidden", o.request("join", Map.of("room", room)).getString("code"));
    }
    assertEquals("invalid_field", coordinator.post("/api/spaces/" + space + "/rooms",
        Map.of("name", "Falsch", "restricted", true, "members", List.of(999_999))).errorCode());
  }

  @Test
  void archivedRoomIsReadOnlyButReadable() {
    JsonObject room = coordinator.post("/api/spaces/" + space + "/rooms", Map.of("name", "Bald Archiv")).json();
    long id = room.getLong("id");
    try (WsClient m = WsClient.as(server, member)) {
      m.ok("join", Map.of("room", id));
      m.ok("post", Map.of("room", id, "key", "a1", "text", "vor dem Archiv"));
      assertEquals(200, coordinator.post("/api/rooms/" + id + "/archive", null).status());
      assertEquals("room_closed", m.request("post", Map.of("room", id, "key", "a2", "text", "danach")).getString("code"));
      assertEquals(1, m.ok("history", Map.of("room", id)).getJsonArray("messages").size());
    }
    assertEquals("forbidden", member.post("/api/rooms/" + id + "/unarchive", null).errorCode());
    assertEquals(200, coordinator.post("/api/rooms/" + id + "/unarchive", null).status());
  }

  @Test
  void sessionsAreListedAsUpcomingAndPastAndPastRoomsAreArchives() {
    JsonObject upcoming = newSession("Werkstatt Wohnen", "members", 60, 180);
    assertEquals(3, upcoming.getJsonArray("agenda").size());
    assertEquals("Koordinatorin", upcoming.getJsonArray("moderators").getJsonObject(0).getString("displayName"));
    long pastId = server.sqlLong("""
        WITH r AS (INSERT INTO rooms (space_id, name, kind) VALUES ($1, 'Vorbei', 'session') RETURNING id)
        INSERT INTO sessions (space_id, room_id, title, starts_at, ends_at, created_by)
        SELECT $1, r.id, 'Vorbei', now() - interval '3 hours', now() - interval '1 hour', $2 FROM r RETURNING id""", space, memberId);
    JsonObject lists = member.get("/api/spaces/" + space + "/sessions").json();
    assertTrue(lists.getJsonArray("upcoming").stream().anyMatch(s -> ((JsonObject) s).getLong("id").equals(upcoming.getLong("id"))));
    assertTrue(lists.getJsonArray("past").stream().anyMatch(s -> ((JsonObject) s).getLong("id") == pastId));
    long pastRoom = member.get("/api/sessions/" + pastId).json().getLong("roomId");
    try (WsClient m = WsClient.as(server, member)) {
      JsonObject joined = m.ok("join", Map.of("room", pastRoom));
      assertFalse(joined.getJsonObject("room").getBoolean("open"));
      assertEquals("room_closed", m.request("post", Map.of("room", pastRoom, "key", "p", "text", "zu spät")).getString("code"));
    }
    assertEquals("invalid_field", coordinator.post("/api/spaces/" + space + "/sessions", Map.of("title", "Rückwärts",
        "startsAt", in(60), "endsAt", in(30))).errorCode());
    assertEquals("forbidden", member.post("/api/spaces/" + space + "/sessions", Map.of("title", "Meins",
        "startsAt", in(60), "endsAt", in(90))).errorCode());
  }

  @Test
  void guestJoinsByLinkAndIsConfinedToTheSessionRoom() {
    JsonObject session = newSession("Offene Werkstatt", "link", -10, 120);
    long roomId = session.getLong("roomId");
    String link = coordinator.post("/api/sessions/" + session.getLong("id") + "/guest-link", null).json().getString("link");
    assertEquals("forbidden", member.post("/api/sessions/" + session.getLong("id") + "/guest-link", null).errorCode());

    ApiClient guest = server.client();
    JsonObject info = guest.get("/api/guest/" + token(link)).json();
    assertEquals("Offene Werkstatt", info.getJsonObject("session").getString("title"));
    ApiClient.Response joined = guest.post("/api/guest/" + token(link) + "/join", Map.of("displayName", "Gabi Gast"));
    assertEquals(201, joined.status(), joined.body());
    assertEquals("admitted", joined.json().getString("status"));
    assertTrue(joined.cookies().get(0).toLowerCase().contains("httponly"));
    assertEquals("Gabi Gast", guest.get("/api/guest/me").json().getString("displayName"));
    assertEquals(401, guest.get("/api/me").status(), "a guest has no account session");

    long standing = coordinator.post("/api/spaces/" + space + "/rooms", Map.of("name", "Nur für Mitglieder")).json().getLong("id");
    try (WsClient g = WsClient.as(server, guest); WsClient m = WsClient.as(server, member)) {
      JsonObject ack = g.ok("join", Map.of("room", roomId));
      assertEquals("guest", ack.getString("role"));
      m.ok("join", Map.of("room", roomId));
      g.ok("post", Map.of("room", roomId, "key", "g1", "text", "Hallo aus der Nachbarschaft"));
      JsonObject seen = m.event(roomId);
      assertTrue(seen.getJsonObject("message").getJsonObject("author").getBoolean("guest"));
      assertEquals("forbidden", g.request("join", Map.of("room", standing)).getString("code"));
      assertEquals("forbidden", g.request("history", Map.of("room", standing)).getString("code"));
      JsonArray presence = m.next(f -> "presence".equals(f.getString("type")) && f.getJsonArray("members").size() == 2).getJsonArray("members");
      assertTrue(presence.stream().anyMatch(p -> ((JsonObject) p).getBoolean("guest")));
    }
  }

  @Test
  void guestOfAnApprovalSessionWaitsInTheLobby() {
    JsonObject session = newSession("Mit Freigabe", "approval", -10, 120);
    String link = coordinator.post("/api/sessions/" + session.getLong("id") + "/guest-link", null).json().getString("link");
    ApiClient guest = server.client();
    JsonObject joined = guest.post("/api/guest/" + token(link) + "/join", Map.of("displayName", "Wartender Gast")).json();
    assertEquals("lobby", joined.getString("status"));
    try (WsClient g = WsClient.as(server, guest)) {
      assertEquals("forbidden", g.request("join", Map.of("room", session.getLong("roomId"))).getString("code"));
    }
  }

  @Test
  void guestAccessEndsWithTheSessionAndLinksCanBeWithdrawn() {
    JsonObject session = newSession("Kurz", "link", -10, 120);
    long id = session.getLong("id");
    String link = coordinator.post("/api/sessions/" + id + "/guest-link", null).json().getString("link");
    ApiClient guest = server.client();
    guest.post("/api/guest/" + token(link) + "/join", Map.of("displayName", "Kurzbesuch"));
    server.sql("UPDATE sessions SET starts_at = now() - interval '2 hours', ends_at = now() - interval '1 minute' WHERE id = $1", id);
    UpgradeRejectedException e = assertThrows(UpgradeRejectedException.class, () -> WsClient.as(server, guest));
    assertEquals(403, e.getStatus());
    assertEquals("session_ended", server.client().get("/api/guest/" + token(link)).errorCode());

    JsonObject later = newSession("Später", "link", 10, 120);
    String link2 = coordinator.post("/api/sessions/" + later.getLong("id") + "/guest-link", null).json().getString("link");
    assertEquals(204, coordinator.delete("/api/sessions/" + later.getLong("id") + "/guest-link").status());
    assertEquals("guest_link_invalid", server.client().get("/api/guest/" + token(link2)).errorCode());
    JsonObject membersOnly = newSession("Intern", "members", 10, 120);
    assertEquals("guests_not_allowed", coordinator.post("/api/sessions/" + membersOnly.getLong("id") + "/guest-link", null).errorCode());
  }
}
